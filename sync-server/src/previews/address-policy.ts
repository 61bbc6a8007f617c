// Which addresses the server may fetch a link preview from. By default only public
// unicast addresses: a preview must never become a way to read the server's own network
// (loopback, private ranges, link-local cloud metadata at 169.254.169.254, …). IPv4 inside
// IPv6 (mapped, NAT64) is judged as the IPv4 address it carries. ipaddr.js names the
// ranges (RFC 6890 and successors).
import ipaddr from 'ipaddr.js';

export type AddressScope = 'public' | 'all';

/** NAT64 prefix 64:ff9b::/96: the low 32 bits are an IPv4 address. */
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');

export function mayFetchFrom(address: string, scope: AddressScope): boolean {
  if (!ipaddr.isValid(address)) return false;
  if (scope === 'all') return true;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) ip = v6.toIPv4Address();
    else if (v6.match(NAT64)) {
      const bytes = v6.toByteArray().slice(12);
      ip = new ipaddr.IPv4(bytes);
    }
  }
  return ip.range() === 'unicast';
}
