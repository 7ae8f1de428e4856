/**
 * String interning: chain names, match names and kube-proxy comments repeat
 * thousands of times in a large dump; keeping one copy of each saves memory
 * and lets later stages compare them cheaply.
 */
export class StringInterner {
  private readonly strings = new Map<string, string>();

  intern(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }
}
