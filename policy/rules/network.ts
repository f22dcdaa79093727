/**
 * 5.2 Network exposure and private data stores.
 */
import { RegisteredPolicy, resourceRule, stackRule } from "./lib/define";
import { environmentProperty, isProd } from "./lib/environment";
import { Findings } from "./lib/findings";
import { cidrWithin } from "./lib/cidr";
import {
    describePorts,
    IngressEntry,
    inlineIngress,
    isWorldCidr,
    onlyAllowedPorts,
    ruleIngress,
    worldOpen,
} from "./lib/ingress";
import {
    conditionKeys,
    isPolicyError,
    PolicyStatement,
    isWildcardPrincipal,
    parsePolicyDocument,
} from "./lib/policy-documents";
import { attachedTo, nameIs, referencedBy, Res, StackView } from "./lib/stack-view";
import { T } from "./lib/types";
import { at, peek, Tri, UNKNOWN, Unknown } from "./lib/unknowns";
import {
    allOf,
    asBool,
    anyOf,
    asList,
    asNum,
    asStr,
    isNotTrue,
    isPresent,
    isTrue,
    show,
    strIn,
    tagOf,
} from "./lib/values";
import { NET_T, subnetTiers } from "./routes";
import {
    AccountConfig,
    CLOUDFRONT_SERVICE,
    awsPrincipal,
    ELB_LOG_ACCOUNTS,
    ELB_LOG_SERVICE,
    isElbLogWrite,
    hasSourceCondition,
    judgeAccount,
    ownAccounts,
    PrincipalRef,
    principalsOf,
} from "./principals";

interface SgIngressConfig {
    allowedPublicPorts?: number[];
    trustedCidrs?: string[];
    publicAlbTagKey?: string;
    publicAlbTagValue?: string;
}

const sgIngressSchema = {
    properties: {
        allowedPublicPorts: {
            type: "array" as const,
            items: { type: "integer" as const },
            default: [80, 443],
            description: "Ports the public ALB's security group may open to 0.0.0.0/0 and ::/0.",
        },
        publicAlbTagKey: {
            type: "string" as const,
            default: "groundwork:role",
            description: "Tag marking the public ALB's SG.",
        },
        trustedCidrs: {
            type: "array" as const,
            items: { type: "string" as const },
            default: [],
            description: 'Public CIDRs that are not "the world" (e.g. a partner\'s fixed range).',
        },
        publicAlbTagValue: { type: "string" as const, default: "public-alb", description: "Value of that tag." },
    },
};

function sgConfig(cfg: SgIngressConfig): Required<SgIngressConfig> {
    return {
        allowedPublicPorts: cfg.allowedPublicPorts ?? [80, 443],
        trustedCidrs: cfg.trustedCidrs ?? [],
        publicAlbTagKey: cfg.publicAlbTagKey ?? "groundwork:role",
        publicAlbTagValue: cfg.publicAlbTagValue ?? "public-alb",
    };
}

function isPublicAlbSg(sgProps: Record<string, unknown>, cfg: Required<SgIngressConfig>): Tri {
    const tag = tagOf(sgProps, cfg.publicAlbTagKey);
    return tag === UNKNOWN ? UNKNOWN : tag === cfg.publicAlbTagValue;
}

const WORLD_FIX =
    "reference the source security group instead (securityGroups / sourceSecurityGroupId / " +
    "referencedSecurityGroupId) or a narrow CIDR";

const netSgIngress = resourceRule(
    {
        name: "net-sg-ingress",
        description:
            "No security group ingress is open to the world (any source outside private address space: " +
            "0.0.0.0/0, ::/0, 0.0.0.0/1, public addresses; IPv4 and IPv6) except the public ALB's allow-listed ports.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "EC2.18; EC2.19; EC2.13; CKV_AWS_24; CKV_AWS_25; CKV_AWS_277",
        remediation:
            "Reference source security groups instead of public CIDRs (0.0.0.0/0, ::/0, 0.0.0.0/1, ...); only the SG tagged " +
            "groundwork:role=public-alb may open 80/443 to the world.",
        configSchema: sgIngressSchema,
    },
    [T.securityGroup, T.securityGroupRule, T.ingressRule],
    (r, rawCfg: SgIngressConfig, f) => {
        const cfg = sgConfig(rawCfg);
        if (r.type === T.securityGroup) {
            const entries = inlineIngress(r);
            if (entries === UNKNOWN) {
                f.unknown("ingress");
                return;
            }
            for (const e of entries) {
                const world = worldOpen(e, cfg.trustedCidrs);
                if (world === UNKNOWN) {
                    f.unknown(`${e.label} CIDRs`);
                    continue;
                }
                if (!world) {
                    continue;
                }
                const allowed = allOf([onlyAllowedPorts(e, cfg.allowedPublicPorts), isPublicAlbSg(r.props, cfg)]);
                f.expect(
                    allowed,
                    `${e.label} ports/protocol or tag ${cfg.publicAlbTagKey}`,
                    `${e.label} opens ${describePorts(e)} to the world: ${WORLD_FIX}. Only the security group ` +
                        `tagged ${cfg.publicAlbTagKey}=${cfg.publicAlbTagValue} may open ports ` +
                        `${cfg.allowedPublicPorts.join("/")} (TCP) to 0.0.0.0/0 or ::/0.`,
                );
            }
            return;
        }
        const e = ruleIngress(r);
        if (e === UNKNOWN) {
            f.unknown("type (ingress or egress)");
            return;
        }
        if (e === undefined) {
            return;
        }
        const world = worldOpen(e, cfg.trustedCidrs);
        if (world === UNKNOWN) {
            f.unknown("CIDRs");
            return;
        }
        if (!world) {
            return;
        }
        // A rule can't see the tags of the group it attaches to; when its ports are allow-listed,
        // net-sg-ingress-public-alb (a stack policy) checks that the group is the public ALB's.
        f.expect(
            onlyAllowedPorts(e, cfg.allowedPublicPorts),
            "protocol/ports",
            `this rule opens ${describePorts(e)} to the world: ${WORLD_FIX}. Only ports ` +
                `${cfg.allowedPublicPorts.join("/")} (TCP) on the public ALB's security group may be world-open.`,
        );
    },
);

const netSgIngressPublicAlb = stackRule(
    {
        name: "net-sg-ingress-public-alb",
        description: "World-open ingress rules on allow-listed ports attach only to the public ALB's security group.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "EC2.18; EC2.19 (companion of net-sg-ingress for standalone rule resources)",
        remediation:
            "Attach world-open 80/443 rules only to the security group tagged groundwork:role=public-alb " +
            "(securityGroupId: albSg.id); elsewhere reference a source security group.",
        configSchema: sgIngressSchema,
    },
    (stack, rawCfg: SgIngressConfig, f) => {
        const cfg = sgConfig(rawCfg);
        for (const rule of stack.ofType(T.securityGroupRule, T.ingressRule)) {
            const e = ruleIngress(rule);
            if (e === undefined || e === UNKNOWN) {
                continue; // undecidable rules are deferred by net-sg-ingress itself
            }
            if (worldOpen(e, cfg.trustedCidrs) !== true || onlyAllowedPorts(e, cfg.allowedPublicPorts) !== true) {
                continue; // either not world-open, or net-sg-ingress already decides it
            }
            const sg = rule.deps("securityGroupId").find((d) => d.type === T.securityGroup);
            if (!sg) {
                if (rule.props.securityGroupId === UNKNOWN) {
                    f.unknown(`${rule.name}.securityGroupId (not linked to a security group in this stack)`);
                } else {
                    f.fail(
                        `${rule.name} opens ${describePorts(e)} to the world on security group ` +
                            `${show(rule.props.securityGroupId)}, which is not in this stack and cannot be shown to be ` +
                            `the public ALB's: declare that group here tagged ${cfg.publicAlbTagKey}=${cfg.publicAlbTagValue} ` +
                            "and pass securityGroupId: albSg.id.",
                        rule.urn,
                    );
                }
                continue;
            }
            f.expect(
                isPublicAlbSg(sg.props, cfg),
                `${sg.name}.tags`,
                `${rule.name} opens ${describePorts(e)} to the world on security group ${sg.name}, which is not ` +
                    `tagged ${cfg.publicAlbTagKey}=${cfg.publicAlbTagValue}: ${WORLD_FIX}.`,
                rule.urn,
            );
        }
    },
);

// ------------------------------------------------------------------------------------------------

interface DbFromSgConfig {
    dbPorts?: number[];
}

/** Every ingress permission in the stack, with the resource that declares it. */
function allIngress(stack: StackView, f: Findings): { owner: Res; entry: IngressEntry }[] {
    const out: { owner: Res; entry: IngressEntry }[] = [];
    for (const sg of stack.ofType(T.securityGroup)) {
        const entries = inlineIngress(sg);
        if (entries === UNKNOWN) {
            f.unknown(`${sg.name}.ingress`);
            continue;
        }
        out.push(...entries.map((entry) => ({ owner: sg, entry })));
    }
    for (const rule of stack.ofType(T.securityGroupRule, T.ingressRule)) {
        const entry = ruleIngress(rule);
        if (entry === UNKNOWN) {
            f.unknown(`${rule.name}.type`);
        } else if (entry) {
            out.push({ owner: rule, entry });
        }
    }
    return out;
}

const netSgDbFromSg = stackRule(
    {
        name: "net-sg-db-from-sg",
        description: "Ingress to database and cache ports references a source security group, never a CIDR.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "EC2.18; CKV_AWS_277",
        remediation:
            "Replace CIDR sources on 5432/6379 with the application's security group " +
            "(referencedSecurityGroupId / sourceSecurityGroupId / securityGroups).",
        configSchema: {
            properties: {
                dbPorts: {
                    type: "array",
                    items: { type: "integer" },
                    default: [5432, 6379],
                    description:
                        "Data-store ports; the known `port` of every RDS instance and cache in the stack is added.",
                },
            },
        },
    },
    (stack, cfg: DbFromSgConfig, f) => {
        const ports = new Set(cfg.dbPorts ?? [5432, 6379]);
        for (const db of stack.ofType(T.rdsInstance, T.redis)) {
            const port = asNum(db.props.port);
            if (typeof port === "number") {
                ports.add(port);
            }
        }
        for (const { owner, entry } of allIngress(stack, f)) {
            const where = owner.type === T.securityGroup ? `${owner.name} ${entry.label}` : owner.name;
            if (entry.ports === UNKNOWN) {
                if (entry.prefixList || (entry.cidrs !== UNKNOWN && entry.cidrs.length > 0)) {
                    f.unknown(`${where} ports`);
                }
                continue;
            }
            const [lo, hi] = entry.ports;
            const hit = [...ports].filter((p) => p >= lo && p <= hi);
            if (hit.length === 0) {
                continue;
            }
            if (entry.cidrs === UNKNOWN) {
                f.unknown(`${where} CIDRs`);
                continue;
            }
            const cidrs = entry.cidrs.filter((c) => c !== undefined && c !== null && c !== "");
            if (cidrs.length > 0 || entry.prefixList) {
                const source =
                    entry.prefixList && cidrs.length === 0 ? "a prefix list" : `CIDR ${cidrs.map(show).join(", ")}`;
                f.fail(
                    `${where} allows data-store port ${hit.join("/")} from ${source}: reference the ` +
                        "client's security group instead (referencedSecurityGroupId / sourceSecurityGroupId / " +
                        "securityGroups), so only that tier can connect.",
                    owner.urn,
                );
            }
        }
    },
);

// ------------------------------------------------------------------------------------------------

const netDefaultSg = stackRule(
    {
        name: "net-default-sg",
        description:
            "Each VPC's default security group is adopted by an aws.ec2.DefaultSecurityGroup, which strips AWS's " +
            "allow-all rules (rules added to it are net-default-sg-rules').",
        enforcementLevel: "advisory",
        family: "network",
        source: "EC2.2; CKV2_AWS_12",
        remediation: "Declare an aws.ec2.DefaultSecurityGroup with vpcId: vpc.id and no ingress or egress.",
    },
    (stack, _cfg, f) => {
        for (const vpc of stack.ofType(T.vpc)) {
            const defaults = stack
                .ofType(T.defaultSecurityGroup)
                .filter((d) => d.deps("vpcId").some((v) => v.urn === vpc.urn));
            if (defaults.length === 0) {
                f.fail(
                    `VPC ${vpc.name} leaves its default security group with AWS's allow-all rules: add an ` +
                        "aws.ec2.DefaultSecurityGroup with vpcId: vpc.id and no ingress/egress.",
                    vpc.urn,
                );
            }
        }
    },
);

/** Rule resources that attach to a VPC's default security group (`securityGroupId: vpc.defaultSecurityGroupId`). */
const SG_RULE_TYPES = [T.securityGroupRule, T.ingressRule, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"];

const netDefaultSgRules = stackRule(
    {
        name: "net-default-sg-rules",
        description: "A VPC's default security group gains no rules, inline or from rule resources attached to it.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "EC2.2; CKV2_AWS_12",
        remediation:
            "Leave the DefaultSecurityGroup's ingress and egress empty and attach no rule resources to " +
            "vpc.defaultSecurityGroupId; give workloads their own security groups.",
    },
    (stack, _cfg, f) => {
        for (const d of stack.ofType(T.defaultSecurityGroup)) {
            for (const key of ["ingress", "egress"] as const) {
                const list = asList(d.props[key]);
                if (list === UNKNOWN) {
                    f.unknown(`${d.name}.${key}`);
                } else if (list.length > 0) {
                    f.fail(
                        `default security group ${d.name} has ${list.length} ${key} rule(s): remove them; anything ` +
                            "launched without a security group lands in this one.",
                        d.urn,
                    );
                }
            }
        }
        for (const rule of stack.ofType(...SG_RULE_TYPES)) {
            // vpc.defaultSecurityGroupId is an output of the Vpc: an edge from securityGroupId to a Vpc is that group.
            const target = rule
                .deps("securityGroupId")
                .find((x) => x.type === T.vpc || x.type === T.defaultSecurityGroup);
            if (target) {
                f.fail(
                    `${rule.name} adds a rule to the default security group of ${target.name}: attach it to a ` +
                        "security group of its own.",
                    rule.urn,
                );
            }
        }
    },
);

// ------------------------------------------------------------------------------------------------

interface NaclEntry {
    label: string;
    ruleNo: number | Unknown;
    allow: boolean | Unknown;
    cidrs: unknown[];
    allProtocols: boolean;
}

function naclEntriesOf(stack: StackView, acl: Res, f: Findings): NaclEntry[] {
    const out: NaclEntry[] = [];
    const inline = asList(acl.props.ingress);
    if (inline === UNKNOWN) {
        f.unknown(`${acl.name}.ingress`);
    } else {
        inline.forEach((e, i) => {
            const action = asStr(peek(e, "action"));
            const n = asNum(peek(e, "ruleNo"));
            out.push({
                label: `${acl.name}.ingress[${i}]`,
                ruleNo: n === undefined ? i : n,
                allow: action === UNKNOWN ? UNKNOWN : action?.toLowerCase() === "allow",
                cidrs: [peek(e, "cidrBlock"), peek(e, "ipv6CidrBlock")].filter(
                    (c) => c !== undefined && c !== null && c !== "",
                ),
                allProtocols: ["-1", "all"].includes(String(asStr(peek(e, "protocol"))).toLowerCase()),
            });
        });
    }
    for (const rule of stack
        .ofType(NET_T.networkAclRule)
        .filter((r) => r.deps("networkAclId").some((a) => a.urn === acl.urn))) {
        const egress = asBool(rule.props.egress);
        if (egress === UNKNOWN) {
            f.unknown(`${rule.name}.egress`);
            continue;
        }
        if (egress === true) {
            continue;
        }
        const action = asStr(rule.props.ruleAction);
        const n = asNum(rule.props.ruleNumber);
        out.push({
            label: rule.name,
            ruleNo: n === undefined ? 0 : n,
            allow: action === UNKNOWN ? UNKNOWN : action?.toLowerCase() === "allow",
            cidrs: [rule.props.cidrBlock, rule.props.ipv6CidrBlock].filter(
                (c) => c !== undefined && c !== null && c !== "",
            ),
            allProtocols: ["-1", "all"].includes(String(asStr(rule.props.protocol)).toLowerCase()),
        });
    }
    return out;
}

interface NaclConfig {
    trustedCidrs?: string[];
}

const netIsolatedNacl = stackRule(
    {
        name: "net-isolated-nacl",
        description:
            "Network ACLs of isolated subnets (no internet or NAT route) admit no traffic from outside " +
            "private address space.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "EC2.21; CKV_AWS_229; CKV_AWS_230; CKV_AWS_231; CKV_AWS_232",
        remediation:
            "In the network ACL of the isolated (data) subnets allow ingress only from the VPC CIDR or other " +
            "private ranges; don't allow 0.0.0.0/0, ::/0 or other public CIDRs.",
        configSchema: {
            properties: {
                trustedCidrs: {
                    type: "array",
                    items: { type: "string" },
                    default: [],
                    description: "Public CIDRs that may still be admitted (e.g. a partner's fixed range).",
                },
            },
        },
    },
    (stack, cfg: NaclConfig, f) => {
        const tiers = subnetTiers(stack);
        const trusted = cfg.trustedCidrs ?? [];
        const acls = [...stack.ofType(NET_T.networkAcl), ...stack.ofType(NET_T.defaultNetworkAcl)];
        const associations = stack.ofType(NET_T.networkAclAssociation);
        const subnetsOf = (acl: Res): Res[] => {
            const listed = [
                ...acl.deps("subnetIds"),
                ...associations
                    .filter((a) => a.deps("networkAclId").some((x) => x.urn === acl.urn))
                    .flatMap((a) => a.deps("subnetId")),
            ];
            if (acl.type !== NET_T.defaultNetworkAcl) {
                return listed;
            }
            // The default ACL also covers every subnet of its VPC that no other ACL claims.
            const vpcs = acl.deps("defaultNetworkAclId");
            const claimed = new Set(
                acls
                    .filter((a) => a !== acl)
                    .flatMap(subnetsOf)
                    .map((x) => x.urn),
            );
            return [
                ...listed,
                ...stack
                    .ofType(T.subnet)
                    .filter(
                        (sn) => !claimed.has(sn.urn) && sn.deps("vpcId").some((v) => vpcs.some((x) => x.urn === v.urn)),
                    ),
            ];
        };
        for (const acl of acls) {
            const isolated = subnetsOf(acl).filter((sn) => tiers.get(sn.urn)?.tier === "isolated");
            if (isolated.length === 0) {
                continue;
            }
            const entries = naclEntriesOf(stack, acl, f);
            for (const e of entries) {
                if (e.allow === UNKNOWN) {
                    f.unknown(`${e.label}.action`);
                    continue;
                }
                if (!e.allow) {
                    continue;
                }
                for (const c of e.cidrs) {
                    const world = isWorldCidr(c, trusted);
                    if (world === UNKNOWN) {
                        f.unknown(`${e.label} CIDR`);
                        continue;
                    }
                    if (!world) {
                        continue;
                    }
                    // A lower-numbered deny of a covering range for every protocol is evaluated first.
                    const shadowed = entries.some(
                        (d) =>
                            d.allow === false &&
                            d.allProtocols &&
                            typeof d.ruleNo === "number" &&
                            typeof e.ruleNo === "number" &&
                            d.ruleNo < e.ruleNo &&
                            d.cidrs.some(
                                (dc) => typeof dc === "string" && typeof c === "string" && cidrWithin(c, [dc]),
                            ),
                    );
                    if (!shadowed) {
                        f.fail(
                            `network ACL ${acl.name} of isolated subnet(s) ${isolated.map((x) => x.name).join(", ")} admits ` +
                                `${show(c)} (${e.label}): allow only private ranges such as the VPC CIDR.`,
                            acl.urn,
                        );
                    }
                }
            }
        }
    },
);

const netEcsNoPublicIp = resourceRule(
    {
        name: "net-ecs-no-public-ip",
        description: "ECS services don't assign public IPs to tasks.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "ECS.2; CKV_AWS_333",
        remediation: "Set networkConfiguration.assignPublicIp: false and run tasks in private subnets behind NAT.",
    },
    [T.ecsService],
    (r, _cfg, f) => {
        const assign = at(r.props, "networkConfiguration", "assignPublicIp");
        f.expect(
            isNotTrue(assign),
            "networkConfiguration.assignPublicIp",
            "networkConfiguration.assignPublicIp is true, so every task gets a public IP: set it to false and use " +
                "private subnets (egress through NAT or VPC endpoints).",
        );
    },
);

// ------------------------------------------------------------------------------------------------

const netEc2Instance = resourceRule(
    {
        name: "net-ec2-instance",
        description:
            "EC2 instances require IMDSv2 and have no public IP, except a NAT instance (source/destination check off).",
        enforcementLevel: "mandatory",
        family: "network",
        source: "EC2.8; EC2.9; CKV_AWS_79; CKV_AWS_88",
        remediation:
            'Set metadataOptions: { httpTokens: "required" } and associatePublicIpAddress: false; only an instance ' +
            "that forwards traffic for others (a NAT, sourceDestCheck: false) may have a public IP.",
    },
    [T.ec2Instance],
    (r, _cfg, f) => {
        f.expect(
            strIn(at(r.props, "metadataOptions", "httpTokens"), ["required"]),
            "metadataOptions.httpTokens",
            'metadataOptions.httpTokens is not "required", so IMDSv1 answers unauthenticated requests (an SSRF ' +
                'reads the instance role\'s credentials): set metadataOptions: { httpTokens: "required" }.',
        );
        // The one exception, explicit: a NAT instance must have an address of its own to translate
        // to, and it is what source/destination check off marks (AWS: a NAT instance needs it).
        const publicIp = isNotTrue(r.props.associatePublicIpAddress);
        // The check is on unless set to false.
        const check = asBool(r.props.sourceDestCheck);
        const forwards: Tri = check === UNKNOWN ? UNKNOWN : check === false;
        f.expect(
            anyOf([publicIp, forwards]),
            "associatePublicIpAddress",
            "associatePublicIpAddress is true on an instance that does not forward traffic (sourceDestCheck is not " +
                "false): put it in a private subnet without a public IP and reach it through Session Manager; only a " +
                "NAT instance needs a public address.",
        );
    },
);

// ------------------------------------------------------------------------------------------------

const BPA_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

const netS3Bpa = stackRule(
    {
        name: "net-s3-bpa",
        description: "Every S3 bucket blocks public access (all four flags) and disables ACLs.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "S3.1; S3.8; S3.12; CKV_AWS_53; CKV_AWS_54; CKV_AWS_55; CKV_AWS_56",
        remediation:
            "Add an aws.s3.BucketPublicAccessBlock (bucket: bucket.id) with all four flags true, and keep " +
            "object ownership BucketOwnerEnforced.",
    },
    (stack, _cfg, f) => {
        for (const bucket of stack.ofType(...T.buckets)) {
            const blocks = attachedTo(stack, [T.bucketPab], "bucket", bucket, nameIs("bucket"));
            if (blocks.length === 0) {
                f.fail(
                    `bucket ${bucket.name} has no public access block: add an aws.s3.BucketPublicAccessBlock ` +
                        `(bucket: bucket.id) with ${BPA_FLAGS.join(", ")} all true.`,
                    bucket.urn,
                );
            } else {
                const ok = anyOf(blocks.map((b) => allOf(BPA_FLAGS.map((flag) => isTrue(b.props[flag])))));
                const off = BPA_FLAGS.filter((flag) => blocks.every((b) => isTrue(b.props[flag]) === false));
                f.expect(
                    ok,
                    `${bucket.name} public access block flags`,
                    `bucket ${bucket.name}'s public access block leaves ${off.join(", ") || "a flag"} off: set all four ` +
                        "flags to true.",
                    bucket.urn,
                );
            }
            // Since April 2023 new buckets default to BucketOwnerEnforced; only an explicit weaker setting or an
            // ACL turns ACLs back on.
            for (const o of attachedTo(stack, [T.bucketOwnership], "bucket", bucket, nameIs("bucket"))) {
                const ownership = at(o.props, "rule", "objectOwnership");
                f.expect(
                    strIn(ownership, ["BucketOwnerEnforced"]),
                    `${o.name}.rule.objectOwnership`,
                    `bucket ${bucket.name} sets objectOwnership ${show(ownership)}, which enables ACLs: use ` +
                        '"BucketOwnerEnforced".',
                    o.urn,
                );
            }
            const acl = asStr(bucket.props.acl);
            f.expect(
                acl === UNKNOWN ? UNKNOWN : acl === undefined || acl === "private",
                `${bucket.name}.acl`,
                `bucket ${bucket.name} sets acl ${show(acl)}: remove the ACL (access is granted by policy only).`,
                bucket.urn,
            );
        }
    },
);

// ------------------------------------------------------------------------------------------------

const S3_DOMAIN = /\.s3([.-][a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/i;

interface CfOacConfig {
    environment?: string;
}

/** Types an origin's edge may point at besides the origin itself (its access control, not its domain). */
const ORIGIN_ACCESS_TYPES = [
    "aws:cloudfront/originAccessControl:OriginAccessControl",
    "aws:cloudfront/originAccessIdentity:OriginAccessIdentity",
];

/**
 * Whether an origin whose domainName is an Output is an S3 bucket: its `origins` edges (other than access
 * controls) lead only to buckets of this stack, as `domainName: bucket.bucketRegionalDomainName` records.
 */
function originsFromBuckets(dist: Res): Tri {
    const sources = dist.deps("origins").filter((d) => !ORIGIN_ACCESS_TYPES.includes(d.type));
    return sources.length > 0 && sources.every((d) => (T.buckets as readonly string[]).includes(d.type))
        ? true
        : UNKNOWN;
}

// A stack rule so that an origin's domain taken from a bucket's output (unknown at preview) is still known
// to be S3 through the edge the engine records.
const netCfOac = stackRule(
    {
        name: "net-cf-oac",
        description: "CloudFront reaches S3 origins through Origin Access Control; prod distributions have a WAF.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "CloudFront.13; CloudFront.6",
        remediation:
            "Give every S3 origin originAccessControlId (aws.cloudfront.OriginAccessControl) instead of an " +
            "OAI or a public bucket; in prod set webAclId to a WAFv2 web ACL (us-east-1).",
        configSchema: { properties: { environment: environmentProperty } },
    },
    (stack, cfg: CfOacConfig, f) => {
        for (const r of stack.ofType(T.distribution)) {
            const origins = asList(r.props.origins);
            if (origins === UNKNOWN) {
                f.unknown(`${r.name}.origins`);
            } else {
                origins.forEach((o, i) => {
                    const id = asStr(peek(o, "originId"));
                    const label = typeof id === "string" ? `origin ${id}` : `origins[${i}]`;
                    if (isPresent(peek(o, "customOriginConfig")) || isPresent(peek(o, "vpcOriginConfig"))) {
                        return;
                    }
                    const s3Config = peek(o, "s3OriginConfig");
                    const domain = asStr(peek(o, "domainName"));
                    const isS3: Tri = isPresent(s3Config)
                        ? true
                        : domain === UNKNOWN
                          ? originsFromBuckets(r)
                          : typeof domain === "string" && S3_DOMAIN.test(domain);
                    if (isPresent(peek(o, "originAccessControlId"))) {
                        const oai = at(s3Config, "originAccessIdentity");
                        if (oai !== UNKNOWN && isPresent(oai)) {
                            f.fail(
                                `${r.name} ${label} sets both an OAI and an OAC: drop s3OriginConfig.originAccessIdentity.`,
                                r.urn,
                            );
                        }
                        return;
                    }
                    f.expect(
                        isS3 === UNKNOWN ? UNKNOWN : !isS3,
                        `${r.name} ${label}.domainName`,
                        `${r.name} ${label} is an S3 origin without originAccessControlId: create an ` +
                            'aws.cloudfront.OriginAccessControl (signingBehavior "always", signingProtocol "sigv4") and set ' +
                            "originAccessControlId; let the bucket policy allow only cloudfront.amazonaws.com with " +
                            "aws:SourceArn = the distribution ARN.",
                        r.urn,
                    );
                });
            }
            if (isProd(cfg) && !isPresent(r.props.webAclId)) {
                f.fail(
                    `${r.name}: webAclId is not set: attach a WAFv2 web ACL (scope CLOUDFRONT, created in us-east-1) in prod.`,
                    r.urn,
                );
            }
        }
    },
);

// ------------------------------------------------------------------------------------------------

interface ResourcePolicyConfig {
    allowedConditionKeys?: string[];
}

const DEFAULT_CONDITION_KEYS = ["aws:SourceArn", "aws:SourceAccount", "aws:PrincipalOrgID"];

/** Resources that carry a resource policy, and where. */
const RESOURCE_POLICY_TYPES = [
    T.queuePolicy,
    T.topicPolicy,
    T.bucketPolicy,
    T.ecrRepositoryPolicy,
    T.kmsKey,
    T.queue,
    T.topic,
    ...T.buckets,
    T.secret,
    "aws:secretsmanager/secretPolicy:SecretPolicy",
    "aws:kms/keyPolicy:KeyPolicy",
];

const netResourcePolicies = resourceRule(
    {
        name: "net-resource-policies",
        description:
            'Resource policies (S3, SQS, SNS, KMS, Secrets Manager, ECR) never allow everyone (Principal "*", ' +
            '{AWS: "*"}, NotPrincipal) without a source/organization condition.',
        enforcementLevel: "mandatory",
        family: "network",
        source: "SQS.3; SNS.4; S3.2; S3.3; S3.6; KMS.5; CKV_AWS_32; CKV_AWS_33; CKV_AWS_387",
        remediation:
            "Name the principal (a service or account), or add a Condition on aws:SourceArn, " +
            'aws:SourceAccount or aws:PrincipalOrgID to every Allow with Principal "*".',
        configSchema: {
            properties: {
                allowedConditionKeys: {
                    type: "array",
                    items: { type: "string" },
                    default: DEFAULT_CONDITION_KEYS,
                    description: "Condition keys that scope a wildcard principal enough.",
                },
            },
        },
    },
    RESOURCE_POLICY_TYPES,
    (r, cfg: ResourcePolicyConfig, f) => {
        const raw = r.props.policy;
        if (raw === undefined || raw === null || raw === "") {
            return; // queues, topics, buckets and keys without an inline policy (KMS: the default key policy)
        }
        const doc = parsePolicyDocument(raw);
        if (doc === UNKNOWN) {
            f.unknown("policy document");
            return;
        }
        if (isPolicyError(doc)) {
            f.fail(`${doc.error}: fix the policy so it can be checked (and applied).`);
            return;
        }
        const allowed = (cfg.allowedConditionKeys ?? DEFAULT_CONDITION_KEYS).map((k) => k.toLowerCase());
        doc.statements.forEach((s, i) => {
            if (s.effect !== "Allow") {
                return;
            }
            const label = s.sid ? `statement ${s.sid}` : `Statement[${i}]`;
            const everyone: Tri = s.notPrincipal !== undefined ? true : isWildcardPrincipal(s.principal);
            if (everyone === false) {
                return;
            }
            const keys = conditionKeys(s.condition);
            const scoped: Tri = keys === UNKNOWN ? UNKNOWN : keys.some((k) => allowed.includes(k));
            if (everyone === UNKNOWN && scoped !== true) {
                f.unknown(`${label}.Principal`);
                return;
            }
            f.expect(
                scoped,
                `${label}.Condition`,
                `${label} allows ${s.notPrincipal !== undefined ? "everyone but NotPrincipal" : 'Principal "*"'} ` +
                    `without a scoping condition: name the principal, or add a Condition on ` +
                    `${(cfg.allowedConditionKeys ?? DEFAULT_CONDITION_KEYS).join(" / ")}.`,
            );
        });
    },
);

// ------------------------------------------------------------------------------------------------

const LAMBDA_PERMISSION = "aws:lambda/permission:Permission";

interface PrincipalsConfig extends AccountConfig {
    servicesWithoutSourceCondition?: string[];
}

/**
 * Services that AWS documents no source condition for in this use: ELB log delivery in newer Regions
 * (the documented bucket policy has none; the object key carries the account id instead).
 */
const DEFAULT_UNCONDITIONED_SERVICES = [ELB_LOG_SERVICE];

const accountSchema = {
    accountIds: {
        type: "array" as const,
        items: { type: "string" as const },
        default: [],
        description:
            "This stack's AWS account id(s); also learned from the provider's allowedAccountIds and from ARNs of " +
            "this stack's resources.",
    },
    trustedAccountIds: {
        type: "array" as const,
        items: { type: "string" as const },
        default: [],
        description: "Other accounts that may be granted access (e.g. a log archive account).",
    },
};

const netResourcePrincipals = stackRule(
    {
        name: "net-resource-principals",
        description:
            "Resource policies (S3, SQS, SNS, KMS, Secrets Manager, ECR) and Lambda permissions grant only this " +
            "account or allow-listed accounts; resource policies' service principals carry aws:SourceArn / " +
            "aws:SourceAccount (Lambda's are net-lambda-permission's).",
        enforcementLevel: "mandatory",
        family: "network",
        source:
            "S3.6; SQS.3; SNS.4; KMS.5; Lambda.1; SecretsManager (resource policy); CKV_AWS_70; CKV_AWS_168; " +
            "IAM User Guide: the confused deputy problem",
        remediation:
            "Grant principals of this account (arn:aws:iam::<this account>:...) or list the other account in " +
            'trustedAccountIds; add Condition { StringEquals: { "aws:SourceAccount": <account> } } or ArnLike ' +
            "aws:SourceArn to every statement granting a service principal.",
        configSchema: {
            properties: {
                ...accountSchema,
                servicesWithoutSourceCondition: {
                    type: "array",
                    items: { type: "string" },
                    default: DEFAULT_UNCONDITIONED_SERVICES,
                    description: "Service principals for which AWS documents no source condition.",
                },
            },
        },
    },
    (stack, cfg: PrincipalsConfig, f) => {
        const own = ownAccounts(stack, cfg);
        const trusted = cfg.trustedAccountIds ?? [];
        const exempt = (cfg.servicesWithoutSourceCondition ?? DEFAULT_UNCONDITIONED_SERVICES).map((x) =>
            x.toLowerCase(),
        );
        const elbAccounts = Object.values(ELB_LOG_ACCOUNTS);
        const judge = (
            r: Res,
            where: string,
            p: PrincipalRef,
            guarded: boolean | Unknown,
            statement?: PolicyStatement,
        ) => {
            if (p.kind === "unknown") {
                f.unknown(`${r.name} ${where} principal (built from an Output)`);
            } else if (p.kind === "account") {
                // The regional ELB account may only write access logs into a bucket.
                const elbWrite =
                    r.type === T.bucketPolicy && elbAccounts.includes(p.value) && statement !== undefined
                        ? isElbLogWrite(statement) === true
                        : false;
                const verdict = elbWrite ? "trusted" : judgeAccount(p.value, own, trusted);
                if (verdict === "foreign") {
                    f.fail(
                        `${r.name} ${where} grants account ${p.value}, which is not this account (${[...own].join(", ")}) ` +
                            "and not in trustedAccountIds: grant a principal of this account, or allow-list the account.",
                        r.urn,
                    );
                } else if (verdict === "unverifiable") {
                    f.unknown(
                        `${r.name} ${where}: whether account ${p.value} is this account (set accountIds in the pack config)`,
                    );
                }
            } else if (p.kind === "service" && !exempt.includes(p.value)) {
                if (r.type === T.bucketPolicy && p.value === CLOUDFRONT_SERVICE) {
                    return; // net-cf-s3-grant asks more of it (aws:SourceArn of one distribution): one finding
                }
                if (guarded === UNKNOWN) {
                    f.unknown(`${r.name} ${where} Condition`);
                } else if (!guarded) {
                    f.fail(
                        `${r.name} ${where} grants service ${p.value} without aws:SourceArn or aws:SourceAccount, so ` +
                            "any customer's resource of that service can act through it (confused deputy): add a source condition.",
                        r.urn,
                    );
                }
            }
        };
        for (const r of stack.ofType(...RESOURCE_POLICY_TYPES)) {
            const raw = r.props.policy;
            if (raw === undefined || raw === null || raw === "") {
                continue;
            }
            const doc = parsePolicyDocument(raw);
            if (doc === UNKNOWN) {
                f.unknown(`${r.name}.policy`);
                continue;
            }
            if (isPolicyError(doc)) {
                continue; // net-resource-policies reports it
            }
            doc.statements.forEach((s, i) => {
                if (s.effect !== "Allow") {
                    return;
                }
                const where = s.sid ? `statement ${s.sid}` : `Statement[${i}]`;
                for (const p of principalsOf(s.principal)) {
                    judge(r, where, p, hasSourceCondition(s.condition), s);
                }
            });
        }
        // Lambda permissions: only whose account a principal is needs this stack's accounts; "*" and service
        // principals (public access, source scoping per service) are net-lambda-permission's, so one
        // misconfiguration is reported once.
        for (const r of stack.ofType(LAMBDA_PERMISSION)) {
            const principal = asStr(r.props.principal);
            if (principal === UNKNOWN) {
                f.unknown(`${r.name}.principal`);
                continue;
            }
            if (typeof principal !== "string" || principal.endsWith(".amazonaws.com")) {
                continue;
            }
            const ref = awsPrincipal(principal);
            if (ref.kind === "account") {
                judge(r, "permission", ref, false);
            }
        }
    },
);

// ------------------------------------------------------------------------------------------------

interface AlbSchemeConfig {
    publicLoadBalancers?: string[];
    publicAlbTagKey?: string;
    publicAlbTagValue?: string;
}

const netAlbScheme = resourceRule(
    {
        name: "net-alb-scheme",
        description:
            "Only allow-listed load balancers are internet-facing; ALBs drop invalid headers and mitigate desync.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "ELB.4; ELB.12",
        remediation:
            "Set internal: true unless the load balancer is allow-listed (config or tag " +
            "groundwork:role=public-alb); on ALBs set dropInvalidHeaderFields: true and desyncMitigationMode " +
            '"defensive" or "strictest".',
        configSchema: {
            properties: {
                publicLoadBalancers: {
                    type: "array",
                    items: { type: "string" },
                    default: [],
                    description: "Logical or physical names of load balancers allowed to be internet-facing.",
                },
                publicAlbTagKey: { type: "string", default: "groundwork:role" },
                publicAlbTagValue: { type: "string", default: "public-alb" },
            },
        },
    },
    T.loadBalancers,
    (r, cfg: AlbSchemeConfig, f) => {
        const p = r.props;
        const internal = isTrue(p.internal);
        if (internal === UNKNOWN) {
            f.unknown("internal");
        } else if (!internal) {
            const names = cfg.publicLoadBalancers ?? [];
            const physical = asStr(p.name);
            const listed = names.includes(r.name) || (typeof physical === "string" && names.includes(physical));
            const tag = tagOf(p, cfg.publicAlbTagKey ?? "groundwork:role");
            const tagged: Tri = tag === UNKNOWN ? UNKNOWN : tag === (cfg.publicAlbTagValue ?? "public-alb");
            f.expect(
                anyOf([listed, tagged]),
                "tags",
                `the load balancer is internet-facing (internal is ${show(p.internal)}) but not allow-listed: set ` +
                    `internal: true, or list "${r.name}" in publicLoadBalancers / tag it ` +
                    `${cfg.publicAlbTagKey ?? "groundwork:role"}=${cfg.publicAlbTagValue ?? "public-alb"}.`,
            );
        }
        const lbType = asStr(p.loadBalancerType);
        if (lbType === UNKNOWN) {
            f.unknown("loadBalancerType");
            return;
        }
        if (lbType !== undefined && lbType !== "application") {
            return; // header handling and desync mitigation are ALB features
        }
        f.expect(
            isTrue(p.dropInvalidHeaderFields),
            "dropInvalidHeaderFields",
            `dropInvalidHeaderFields is ${show(p.dropInvalidHeaderFields)}: set it to true so malformed headers ` +
                "never reach targets.",
        );
        const desync = asStr(p.desyncMitigationMode);
        f.expect(
            desync === UNKNOWN ? UNKNOWN : desync?.toLowerCase() !== "monitor",
            "desyncMitigationMode",
            'desyncMitigationMode is "monitor", which forwards ambiguous requests: use "defensive" (default) or ' +
                '"strictest".',
        );
    },
);

const netCognitoGuest = resourceRule(
    {
        name: "net-cognito-guest",
        description: "Cognito identity pools don't hand AWS credentials to unauthenticated users.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "Cognito.2; CKV_AWS_366",
        remediation: "Set allowUnauthenticatedIdentities: false.",
    },
    [T.identityPool],
    (r, _cfg, f) => {
        f.expect(
            isNotTrue(r.props.allowUnauthenticatedIdentities),
            "allowUnauthenticatedIdentities",
            "allowUnauthenticatedIdentities is true, so anyone can obtain credentials for the unauthenticated role: " +
                "set it to false.",
        );
    },
);

// ------------------------------------------------------------------------------------------------

const netRdsPrivate = resourceRule(
    {
        name: "net-rds-private",
        description: "RDS instances are not publicly accessible and sit in an explicit subnet group.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "rds-instance-public-access; RDS.2; RDS.18",
        remediation: "Set publiclyAccessible: false and dbSubnetGroupName to a group of private subnets.",
    },
    [T.rdsInstance],
    (r, _cfg, f) => {
        f.expect(
            isNotTrue(r.props.publiclyAccessible),
            "publiclyAccessible",
            "publiclyAccessible is true, so the endpoint resolves to a public IP: set publiclyAccessible: false.",
        );
        if (!isPresent(r.props.dbSubnetGroupName)) {
            f.fail(
                "dbSubnetGroupName is not set, so the instance lands in the default VPC: set it to a subnet " +
                    "group of private subnets.",
            );
        }
    },
);

interface DbSubnetsConfig {
    tierTagKeys?: string[];
    publicTierValue?: string;
}

const netDbSubnetsPrivate = stackRule(
    {
        name: "net-db-subnets-private",
        description:
            "Databases and caches live in their own subnet group of isolated subnets: no route to an " +
            "internet or NAT gateway (route → route table → association → subnet), no public IPs, not the public tier.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "EC2.15; ElastiCache.7; CKV_AWS_323",
        remediation:
            'Set dbSubnetGroupName / subnetGroupName to a subnet group (not "default") of isolated subnets: ' +
            "their route table has no route to an internet or NAT gateway, mapPublicIpOnLaunch is false, and they are " +
            "not tagged as the public tier.",
        configSchema: {
            properties: {
                tierTagKeys: {
                    type: "array",
                    items: { type: "string" },
                    default: ["tier", "Tier", "groundwork:tier"],
                    description: "Subnet tags that name the subnet's tier.",
                },
                publicTierValue: { type: "string", default: "public", description: "Tier value of public subnets." },
            },
        },
    },
    (stack, cfg: DbSubnetsConfig, f) => {
        const tierKeys = cfg.tierTagKeys ?? ["tier", "Tier", "groundwork:tier"];
        const publicValue = (cfg.publicTierValue ?? "public").toLowerCase();
        const tiers = subnetTiers(stack);
        const stores: { res: Res; key: string; groupType: string }[] = [
            ...stack
                .ofType(T.rdsInstance)
                .map((res) => ({ res, key: "dbSubnetGroupName", groupType: T.rdsSubnetGroup })),
            ...stack.ofType(T.redis).map((res) => ({ res, key: "subnetGroupName", groupType: T.cacheSubnetGroup })),
        ];
        for (const { res, key, groupType } of stores) {
            const raw = res.props[key];
            if (!isPresent(raw)) {
                f.fail(
                    `${res.name} has no ${key}, so it lands in the default VPC's subnets: set ${key} to a subnet ` +
                        "group of private subnets.",
                    res.urn,
                );
                continue;
            }
            const literal = asStr(raw);
            if (typeof literal === "string" && literal.toLowerCase() === "default") {
                f.fail(
                    `${res.name} uses the "default" subnet group: create one from the private data subnets.`,
                    res.urn,
                );
                continue;
            }
            const group = referencedBy(stack, res, key, [groupType], nameIs("name"))[0];
            if (!group) {
                if (raw === UNKNOWN) {
                    f.unknown(`${res.name}.${key} (not linked to a subnet group in this stack)`);
                }
                continue; // a group managed outside this stack
            }
            const subnets = group.deps("subnetIds").filter((d) => d.type === T.subnet);
            if (subnets.length === 0 && group.props.subnetIds === UNKNOWN) {
                f.unknown(`${group.name}.subnetIds`);
            }
            for (const subnet of subnets) {
                // The routes decide the tier: a way out (internet or NAT gateway) makes a subnet routable.
                const tier = tiers.get(subnet.urn);
                if (tier?.tier === UNKNOWN) {
                    f.unknown(tier.unknown ?? `${subnet.name} routes`);
                } else if (tier && tier.tier !== "isolated") {
                    f.fail(
                        `${res.name}'s subnet group ${group.name} holds ${subnet.name}, which is routable ` +
                            `(${tier.tier}: ${tier.reason}): a data store belongs in isolated subnets whose route table has ` +
                            "no internet or NAT gateway route.",
                        res.urn,
                    );
                }
                f.expect(
                    isNotTrue(subnet.props.mapPublicIpOnLaunch),
                    `${subnet.name}.mapPublicIpOnLaunch`,
                    `${res.name}'s subnet group ${group.name} includes ${subnet.name}, which maps public IPs on launch: ` +
                        "use the private data subnets.",
                    res.urn,
                );
                const isPublic = anyOf(
                    tierKeys.map((k) => {
                        const v = tagOf(subnet.props, k);
                        return v === UNKNOWN ? UNKNOWN : v?.toLowerCase() === publicValue;
                    }),
                );
                f.expect(
                    isPublic === UNKNOWN ? UNKNOWN : !isPublic,
                    `${subnet.name}.tags`,
                    `${res.name}'s subnet group ${group.name} includes ${subnet.name}, tagged as the public tier: ` +
                        "use the private data subnets.",
                    res.urn,
                );
            }
        }
    },
);

export const networkPolicies: RegisteredPolicy[] = [
    netRdsPrivate,
    netDbSubnetsPrivate,
    netSgIngress,
    netSgIngressPublicAlb,
    netSgDbFromSg,
    netDefaultSg,
    netDefaultSgRules,
    netIsolatedNacl,
    netEcsNoPublicIp,
    netEc2Instance,
    netS3Bpa,
    netCfOac,
    netResourcePolicies,
    netResourcePrincipals,
    netAlbScheme,
    netCognitoGuest,
];
