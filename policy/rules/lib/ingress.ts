/**
 * Security-group ingress, normalized across the three ways to write it (inline `ingress[]`, a
 * SecurityGroupRule, a VPC SecurityGroupIngressRule), and the CIDR/port questions rules ask of it.
 */
import { cidrWithin, isPublicCidr } from "./cidr";
import { T } from "./types";
import { peek, Tri, UNKNOWN, Unknown } from "./unknowns";
import { anyOf, asList, asNum, asStr, isPresent } from "./values";

/** One ingress permission, whichever resource declared it. */
export interface IngressEntry {
    /** Where it comes from, for messages: "ingress[0]" or the rule resource's name. */
    label: string;
    protocol: "all" | "tcp" | "udp" | "other" | Unknown;
    /** Inclusive port range; [0, 65535] for all-protocol rules. */
    ports: [number, number] | Unknown;
    /** IPv4 and IPv6 CIDR sources (UNKNOWN elements possible). */
    cidrs: unknown[] | Unknown;
    /** A prefix list source: a set of CIDRs we can't see into. */
    prefixList: boolean;
}

export function protocolOf(v: unknown): IngressEntry["protocol"] {
    const s = asStr(v);
    if (s === UNKNOWN) {
        return UNKNOWN;
    }
    switch ((s ?? "").trim().toLowerCase()) {
        case "-1":
        case "all":
            return "all";
        case "tcp":
        case "6":
            return "tcp";
        case "udp":
        case "17":
            return "udp";
        default:
            return "other";
    }
}

export function portsOf(protocol: IngressEntry["protocol"], from: unknown, to: unknown): IngressEntry["ports"] {
    if (protocol === "all") {
        return [0, 65535];
    }
    const f = asNum(from);
    const t = asNum(to);
    if (f === UNKNOWN || t === UNKNOWN) {
        return UNKNOWN;
    }
    // Missing or negative ports (ICMP "-1") mean "every port" as far as exposure goes.
    const lo = f === undefined || f < 0 ? 0 : f;
    const hi = t === undefined || t < 0 ? 65535 : t;
    return lo <= hi ? [lo, hi] : [hi, lo];
}

export function joinCidrs(...lists: unknown[]): unknown[] | Unknown {
    const out: unknown[] = [];
    for (const l of lists) {
        const list = asList(l);
        if (list === UNKNOWN) {
            return UNKNOWN;
        }
        out.push(...list);
    }
    return out;
}

/** Inline `ingress[]` of an `aws:ec2/securityGroup:SecurityGroup`. */
export function inlineIngress(sg: { props: Record<string, unknown> }): IngressEntry[] | Unknown {
    const list = asList(sg.props.ingress);
    if (list === UNKNOWN) {
        return UNKNOWN;
    }
    return list.map((rule, i) => {
        const protocol = protocolOf(peek(rule, "protocol"));
        const prefixes = asList(peek(rule, "prefixListIds"));
        return {
            label: `ingress[${i}]`,
            protocol,
            ports: portsOf(protocol, peek(rule, "fromPort"), peek(rule, "toPort")),
            cidrs: joinCidrs(peek(rule, "cidrBlocks"), peek(rule, "ipv6CidrBlocks")),
            prefixList: prefixes === UNKNOWN || prefixes.length > 0,
        };
    });
}

/**
 * The ingress of a standalone rule resource: `aws:ec2/securityGroupRule:SecurityGroupRule` (type "ingress")
 * or `aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule`. `undefined` for egress rules;
 * UNKNOWN when even the direction is unknown.
 */
export function ruleIngress(rule: {
    type: string;
    name: string;
    props: Record<string, unknown>;
}): IngressEntry | undefined | Unknown {
    const p = rule.props;
    if (rule.type === T.securityGroupRule) {
        const direction = asStr(p.type);
        if (direction === UNKNOWN) {
            return UNKNOWN;
        }
        if (direction?.toLowerCase() !== "ingress") {
            return undefined;
        }
        const protocol = protocolOf(p.protocol);
        const prefixes = asList(p.prefixListIds);
        return {
            label: rule.name,
            protocol,
            ports: portsOf(protocol, p.fromPort, p.toPort),
            cidrs: joinCidrs(p.cidrBlocks, p.ipv6CidrBlocks),
            prefixList: prefixes === UNKNOWN || prefixes.length > 0,
        };
    }
    if (rule.type === T.ingressRule) {
        const protocol = protocolOf(p.ipProtocol);
        return {
            label: rule.name,
            protocol,
            ports: portsOf(protocol, p.fromPort, p.toPort),
            cidrs: joinCidrs(p.cidrIpv4, p.cidrIpv6),
            prefixList: isPresent(p.prefixListId),
        };
    }
    return undefined;
}

/**
 * Whether a source admits the internet: any CIDR that is not wholly private address space (see cidr.ts),
 * so `0.0.0.0/1`, `128.0.0.0/1`, `2000::/3` and a single public address count as well as `0.0.0.0/0`.
 * CIDRs listed in the rule's `trustedCidrs` (a partner's fixed range) don't count.
 */
export function isWorldCidr(c: unknown, trusted: readonly string[] = []): Tri {
    if (c === UNKNOWN) {
        return UNKNOWN;
    }
    if (typeof c !== "string" || c.trim() === "") {
        return false;
    }
    return isPublicCidr(c) && !cidrWithin(c, trusted);
}

export function worldOpen(e: IngressEntry, trusted: readonly string[] = []): Tri {
    if (e.cidrs === UNKNOWN) {
        return UNKNOWN;
    }
    return anyOf(e.cidrs.map((c) => isWorldCidr(c, trusted)));
}

const WELL_KNOWN: Record<number, string> = { 22: "SSH", 3389: "RDP", 5432: "PostgreSQL", 6379: "Redis" };

export function describePorts(e: IngressEntry): string {
    if (e.ports === UNKNOWN) {
        return "unknown ports";
    }
    const [lo, hi] = e.ports;
    const named = Object.keys(WELL_KNOWN)
        .map(Number)
        .filter((p) => p >= lo && p <= hi)
        .map((p) => `${p}/${WELL_KNOWN[p]}`);
    const range = e.protocol === "all" ? "all protocols and ports" : lo === hi ? `port ${lo}` : `ports ${lo}-${hi}`;
    return named.length > 0 ? `${range} (including ${named.join(", ")})` : range;
}

/** Whether every port of the entry is in the allow-list (TCP only: an ALB only speaks TCP). */
export function onlyAllowedPorts(e: IngressEntry, allowed: readonly number[]): Tri {
    if (e.protocol === UNKNOWN || e.ports === UNKNOWN) {
        return UNKNOWN;
    }
    if (e.protocol !== "tcp") {
        return false;
    }
    const [lo, hi] = e.ports;
    if (hi - lo + 1 > allowed.length) {
        return false;
    }
    for (let p = lo; p <= hi; p++) {
        if (!allowed.includes(p)) {
            return false;
        }
    }
    return true;
}
