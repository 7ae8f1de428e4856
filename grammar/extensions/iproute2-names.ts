/**
 * The names iproute2's shipped /etc/iproute2 files give to device groups
 * (`group`) and routing realms (`rt_realms`), by value: entry i names value
 * i. iptables maps a name through the loading host's own files; kipt knows
 * only these (checked with the oracle on Debian's iproute2). The catalogue
 * (devgroup, realm) validates with them and the printer prints them.
 */
export const DEVICE_GROUP_NAMES: readonly string[] = ["default"];
export const REALM_NAMES: readonly string[] = ["cosmos"];
