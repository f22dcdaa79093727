/**
 * CIDR facts for network rules: is a source private address space, or reachable from the internet?
 *
 * "Open to the world" is decided by address space, not by spelling: `0.0.0.0/0` and `::/0` are only the
 * best-known members of a family that also holds `0.0.0.0/1` + `128.0.0.0/1`, `::/1`, `2000::/3` or a
 * single public address. A source is *private* only when its whole range lies in space the internet
 * cannot route to a VPC:
 *
 * - RFC 1918 (10/8, 172.16/12, 192.168/16) and RFC 6598 shared space (100.64/10);
 * - loopback (127/8, ::1) and link-local (169.254/16, fe80::/10);
 * - IPv6 unique local addresses fc00::/7 (RFC 4193);
 * - the IPv4-mapped IPv6 form (::ffff:a.b.c.d) of any of the IPv4 ranges above.
 *
 * Everything else is public, including documentation and reserved ranges: a rule that can't be sure
 * the space is private treats it as the internet.
 */
import * as ipaddr from "ipaddr.js";

export type CidrClass = "private" | "public" | "invalid";

const PRIVATE_V4: readonly [string, number][] = [
    ["10.0.0.0", 8],
    ["172.16.0.0", 12],
    ["192.168.0.0", 16],
    ["100.64.0.0", 10],
    ["127.0.0.0", 8],
    ["169.254.0.0", 16],
];

const PRIVATE_V6: readonly [string, number][] = [
    ["fc00::", 7],
    ["fe80::", 10],
    ["::1", 128],
];

function within(addr: ipaddr.IPv4 | ipaddr.IPv6, prefix: number, ranges: readonly [string, number][]): boolean {
    return ranges.some(([base, len]) => {
        const range = ipaddr.parse(base);
        return prefix >= len && addr.kind() === range.kind() && addr.match(range, len);
    });
}

/**
 * Classifies one CIDR (or a bare address, read as a /32 or /128). Unparseable text is "invalid": AWS would
 * reject it, and a rule should not read it as private.
 */
export function classifyCidr(cidr: string): CidrClass {
    const text = cidr.trim();
    // ipaddr.js also reads inet_aton shorthands ("10.0.0", "0x0a000000"), which AWS rejects.
    const host = text.split("/")[0];
    if (!host.includes(":") && !/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) {
        return "invalid";
    }
    let addr: ipaddr.IPv4 | ipaddr.IPv6;
    let prefix: number;
    try {
        if (text.includes("/")) {
            [addr, prefix] = ipaddr.parseCIDR(text);
        } else {
            addr = ipaddr.parse(text);
            prefix = addr.kind() === "ipv4" ? 32 : 128;
        }
    } catch {
        return "invalid";
    }
    if (addr.kind() === "ipv6") {
        const v6 = addr as ipaddr.IPv6;
        // ::ffff:0:0/96 embeds IPv4; its private part is private only if the whole range stays in it.
        if (v6.isIPv4MappedAddress() && prefix >= 96) {
            return within(v6.toIPv4Address(), prefix - 96, PRIVATE_V4) ? "private" : "public";
        }
        return within(v6, prefix, PRIVATE_V6) ? "private" : "public";
    }
    return within(addr, prefix, PRIVATE_V4) ? "private" : "public";
}

/** Whether a CIDR admits internet addresses (anything not provably private space). */
export function isPublicCidr(cidr: string): boolean {
    return classifyCidr(cidr) !== "private";
}

/** Whether `cidr` lies entirely inside one of `allowed` (e.g. a partner's fixed range from pack config). */
export function cidrWithin(cidr: string, allowed: readonly string[]): boolean {
    let addr: ipaddr.IPv4 | ipaddr.IPv6;
    let prefix: number;
    try {
        [addr, prefix] = cidr.includes("/")
            ? ipaddr.parseCIDR(cidr.trim())
            : [ipaddr.parse(cidr.trim()), cidr.includes(":") ? 128 : 32];
    } catch {
        return false;
    }
    return allowed.some((a) => {
        try {
            const [base, len] = ipaddr.parseCIDR(a.trim());
            return base.kind() === addr.kind() && prefix >= len && addr.match(base, len);
        } catch {
            return false;
        }
    });
}
