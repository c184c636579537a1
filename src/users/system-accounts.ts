// System accounts: the users a Debian/Ubuntu GPU server has for daemons, not for people (uid < 1000 by convention).
// An alert's `user` label holds a name, not a uid, so they are known by name: Debian's base-passwd accounts, the
// usual service accounts of a GPU host, and the `systemd-*` / leading-underscore families.

/** Debian base-passwd accounts and common service accounts of a GPU server. */
const SYSTEM_ACCOUNTS: ReadonlySet<string> = new Set([
  'root', 'daemon', 'bin', 'sys', 'sync', 'games', 'man', 'lp', 'mail', 'news', 'uucp', 'proxy', 'www-data', 'backup',
  'list', 'irc', 'gnats', 'nobody', 'messagebus', 'sshd', 'syslog', 'polkitd', 'dnsmasq', 'avahi', 'colord', 'rtkit',
  'uuidd', 'tcpdump', 'tss', 'landscape', 'pollinate', 'usbmux', 'nvidia-persistenced', 'dockremap', 'postfix', 'ntp',
  'chrony', 'statd', 'lxd', 'prometheus', 'node-exporter', 'grafana',
]);

/** Whether `name` is a system account (a daemon's user, not a person's). */
export function isSystemAccount(name: string): boolean {
  return SYSTEM_ACCOUNTS.has(name) || name.startsWith('systemd-') || name.startsWith('_');
}
