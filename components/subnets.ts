import * as ipaddr from "ipaddr.js";

/**
 * Subnet arithmetic for the Vpc component and the stack config. Pure functions on plain values,
 * so the layout is known before any resource is declared and can be tested exhaustively.
 */

/** The three subnet tiers of a Groundwork VPC. */
export const SUBNET_TIERS = ["public", "private", "isolated"] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

/** CIDR blocks per tier, one per availability zone, in AZ order. */
export interface SubnetLayout {
    public: string[];
    private: string[];
    isolated: string[];
}

/** A parsed IPv4 CIDR block. */
export interface Ipv4Block {
    /** The canonical form, e.g. `10.0.1.0/24`. */
    cidr: string;
    /** Network address as an unsigned 32-bit number. */
    start: number;
    /** Last address of the block as an unsigned 32-bit number. */
    end: number;
    prefix: number;
}

/** Thrown by the layout functions; `field` names what is wrong so callers can map it to a config key. */
export class SubnetLayoutError extends Error {
    constructor(
        readonly field: string,
        message: string,
    ) {
        super(message);
        this.name = "SubnetLayoutError";
    }
}

function toNumber(address: ipaddr.IPv4): number {
    return address.octets.reduce((acc, octet) => acc * 256 + octet, 0);
}

function fromNumber(value: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/**
 * Parses an IPv4 CIDR block whose address is the network address (`10.0.1.0/24`, not
 * `10.0.1.5/24`: AWS rejects host bits in a VPC or subnet CIDR). Returns undefined when invalid.
 */
export function parseIpv4Cidr(cidr: string): Ipv4Block | undefined {
    if (typeof cidr !== "string" || !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) {
        return undefined;
    }
    let parsed: [ipaddr.IPv4, number];
    try {
        parsed = ipaddr.IPv4.parseCIDR(cidr);
    } catch {
        return undefined;
    }
    const [address, prefix] = parsed;
    const start = toNumber(address);
    const size = 2 ** (32 - prefix);
    if (start % size !== 0) {
        return undefined;
    }
    return { cidr: `${fromNumber(start)}/${prefix}`, start, end: start + size - 1, prefix };
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
    return a.start <= b.end && b.start <= a.end;
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Ipv4Block, inner: Ipv4Block): boolean {
    return outer.start <= inner.start && inner.end <= outer.end;
}

/** AWS accepts VPC and subnet prefixes from /16 to /28. */
export const MIN_PREFIX = 16;
export const MAX_PREFIX = 28;

/** The largest VPC prefix for which a default layout is derived (subnets are 8 bits longer, /26 at most). */
export const MAX_DEFAULT_LAYOUT_PREFIX = 18;

/**
 * The default layout, which reproduces the reference architecture for a /16 VPC
 * (public 10.0.1.0/24, 10.0.2.0/24; private 10.0.10.0/24, 10.0.20.0/24; isolated 10.0.100.0/24,
 * 10.0.110.0/24) and scales the same pattern to /17 and /18 VPCs: subnets are 8 bits longer than
 * the VPC, and the block index per AZ i is public i+1, private 10(i+1), isolated 100+10i. Room is
 * left between the blocks so that a third tier of services or more AZs never forces a renumbering.
 */
export function defaultSubnetLayout(vpcCidr: string, azCount: number): SubnetLayout {
    const vpc = parseIpv4Cidr(vpcCidr);
    if (!vpc) {
        throw new SubnetLayoutError("vpcCidr", `"${vpcCidr}" is not a valid IPv4 CIDR`);
    }
    if (vpc.prefix > MAX_DEFAULT_LAYOUT_PREFIX) {
        throw new SubnetLayoutError(
            "subnets",
            `no default subnet layout for a /${vpc.prefix} VPC (only /${MIN_PREFIX} to /${MAX_DEFAULT_LAYOUT_PREFIX}); list the subnet CIDRs per tier`,
        );
    }
    if (!Number.isInteger(azCount) || azCount < 1 || azCount > MAX_AZS) {
        throw new SubnetLayoutError("azCount", `must be a whole number from 1 to ${MAX_AZS}`);
    }
    const prefix = vpc.prefix + 8;
    const blockSize = 2 ** (32 - prefix);
    const block = (index: number) => `${fromNumber(vpc.start + index * blockSize)}/${prefix}`;
    const azs = [...Array(azCount).keys()];
    return {
        public: azs.map((i) => block(i + 1)),
        private: azs.map((i) => block(10 * (i + 1))),
        isolated: azs.map((i) => block(100 + 10 * i)),
    };
}

/** The most AZs the layout supports; no AWS region offers more than six. */
export const MAX_AZS = 6;

/**
 * Checks a layout against its VPC: every CIDR valid, sized /16-/28, inside the VPC, one per AZ
 * per tier, and no two overlapping. Throws {@link SubnetLayoutError} naming the offending entry
 * (`subnets.private[1]`).
 */
export function validateSubnetLayout(vpcCidr: string, azCount: number, layout: SubnetLayout): void {
    const vpc = parseIpv4Cidr(vpcCidr);
    if (!vpc) {
        throw new SubnetLayoutError("vpcCidr", `"${vpcCidr}" is not a valid IPv4 CIDR`);
    }
    const seen: { field: string; block: Ipv4Block }[] = [];
    for (const tier of SUBNET_TIERS) {
        const cidrs = layout[tier];
        if (cidrs.length !== azCount) {
            throw new SubnetLayoutError(
                `subnets.${tier}`,
                `has ${cidrs.length} CIDR(s) but the VPC spans ${azCount} availability zone(s); give exactly one per AZ`,
            );
        }
        cidrs.forEach((cidr, i) => {
            const field = `subnets.${tier}[${i}]`;
            const block = parseIpv4Cidr(cidr);
            if (!block) {
                throw new SubnetLayoutError(
                    field,
                    `"${cidr}" is not a valid IPv4 CIDR (network address/prefix, e.g. 10.0.1.0/24)`,
                );
            }
            if (block.prefix < MIN_PREFIX || block.prefix > MAX_PREFIX) {
                throw new SubnetLayoutError(
                    field,
                    `"${cidr}" has prefix /${block.prefix}; AWS allows /${MIN_PREFIX} to /${MAX_PREFIX}`,
                );
            }
            if (!contains(vpc, block)) {
                throw new SubnetLayoutError(field, `"${cidr}" is not inside the VPC CIDR ${vpc.cidr}`);
            }
            const clash = seen.find((other) => overlaps(other.block, block));
            if (clash) {
                throw new SubnetLayoutError(field, `"${cidr}" overlaps ${clash.field} (${clash.block.cidr})`);
            }
            seen.push({ field, block });
        });
    }
}
