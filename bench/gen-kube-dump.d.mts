// Types for the benchmark's dump generator, so TypeScript tests can use it.
export function generateKubeDump(options: { services: number; seed?: number; largeClusterMode?: boolean; form?: "save" | "restore" }): string;
