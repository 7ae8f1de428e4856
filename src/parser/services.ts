/**
 * Well-known service names iptables accepts in place of port numbers (it
 * asks getservbyname(3) on the machine that loads the rules, so a dump
 * always shows numbers). A curated list of IANA assignments; a name missing
 * here is reported as an invalid port rather than guessed.
 */
const BOTH: Record<string, number> = {
  echo: 7, discard: 9, daytime: 13, ftp: 21, ssh: 22, telnet: 23, smtp: 25, time: 37, domain: 53, gopher: 70,
  finger: 79, http: 80, www: 80, kerberos: 88, pop3: 110, sunrpc: 111, auth: 113, ident: 113, nntp: 119,
  ntp: 123, "netbios-ns": 137, "netbios-dgm": 138, "netbios-ssn": 139, imap: 143, imap2: 143, snmp: 161,
  "snmp-trap": 162, bgp: 179, irc: 194, ldap: 389, https: 443, "microsoft-ds": 445, kpasswd: 464,
  submission: 587, ldaps: 636, rsync: 873, ftps: 990, imaps: 993, pop3s: 995, openvpn: 1194,
  "ms-sql-s": 1433, radius: 1812, "radius-acct": 1813, nfs: 2049, mysql: 3306, postgresql: 5432,
  "x11": 6000, "http-alt": 8080, "webcache": 8080, bootps: 67, bootpc: 68, tftp: 69, syslog: 514,
  isakmp: 500, "ipsec-nat-t": 4500, sip: 5060, "sip-tls": 5061, xmpp: 5222, "xmpp-client": 5222,
  "xmpp-server": 5269, mdns: 5353, "redis": 6379, amqp: 5672, "ftp-data": 20, login: 513, shell: 514,
  printer: 515, uucp: 540, "rtsp": 554, "domain-s": 853, "kerberos-adm": 749, "svn": 3690,
  "git": 9418, "nrpe": 5666, "zabbix-agent": 10050, "zabbix-trapper": 10051, "munin": 4949,
};

export function serviceNamePort(name: string, _protocol: string | null): number | null {
  return Object.prototype.hasOwnProperty.call(BOTH, name) ? BOTH[name]! : null;
}
