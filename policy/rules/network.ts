/**
 * 5.2 Network exposure and private data stores.
 */
import { RegisteredPolicy, resourceRule, stackRule } from "./lib/define";
import { environmentProperty, isProd } from "./lib/environment";
import { Findings } from "./lib/findings";
import { describePorts, IngressEntry, inlineIngress, onlyAllowedPorts, ruleIngress, worldOpen } from "./lib/ingress";
import { conditionKeys, isPolicyError, isWildcardPrincipal, parsePolicyDocument } from "./lib/policy-documents";
import { attachedTo, nameIs, referencedBy, Res, StackView } from "./lib/stack-view";
import { T } from "./lib/types";
import { at, peek, Tri, UNKNOWN } from "./lib/unknowns";
import { allOf, anyOf, asList, asNum, asStr, isNotTrue, isPresent, isTrue, show, strIn, tagOf } from "./lib/values";

interface SgIngressConfig {
    allowedPublicPorts?: number[];
    publicAlbTagKey?: string;
    publicAlbTagValue?: string;
}

const sgIngressSchema = {
    properties: {
        allowedPublicPorts: {
            type: "array" as const, items: { type: "integer" as const }, default: [80, 443],
            description: "Ports the public ALB's security group may open to 0.0.0.0/0 and ::/0.",
        },
        publicAlbTagKey: { type: "string" as const, default: "groundwork:role", description: "Tag marking the public ALB's SG." },
        publicAlbTagValue: { type: "string" as const, default: "public-alb", description: "Value of that tag." },
    },
};

function sgConfig(cfg: SgIngressConfig): Required<SgIngressConfig> {
    return {
        allowedPublicPorts: cfg.allowedPublicPorts ?? [80, 443],
        publicAlbTagKey: cfg.publicAlbTagKey ?? "groundwork:role",
        publicAlbTagValue: cfg.publicAlbTagValue ?? "public-alb",
    };
}

function isPublicAlbSg(sgProps: Record<string, unknown>, cfg: Required<SgIngressConfig>): Tri {
    const tag = tagOf(sgProps, cfg.publicAlbTagKey);
    return tag === UNKNOWN ? UNKNOWN : tag === cfg.publicAlbTagValue;
}

const WORLD_FIX = "reference the source security group instead (securityGroups / sourceSecurityGroupId / " +
    "referencedSecurityGroupId) or a narrow CIDR";

const netSgIngress = resourceRule(
    {
        name: "net-sg-ingress",
        description: "No security group ingress is open to the world (0.0.0.0/0, ::/0) except the public ALB's " +
            "allow-listed ports.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "EC2.18; EC2.19; EC2.13; CKV_AWS_24; CKV_AWS_25; CKV_AWS_277",
        remediation: "Reference source security groups instead of 0.0.0.0/0 or ::/0; only the SG tagged " +
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
                const world = worldOpen(e);
                if (world === UNKNOWN) {
                    f.unknown(`${e.label} CIDRs`);
                    continue;
                }
                if (!world) {
                    continue;
                }
                const allowed = allOf([onlyAllowedPorts(e, cfg.allowedPublicPorts), isPublicAlbSg(r.props, cfg)]);
                f.expect(allowed, `${e.label} ports/protocol or tag ${cfg.publicAlbTagKey}`,
                    `${e.label} opens ${describePorts(e)} to the world: ${WORLD_FIX}. Only the security group ` +
                    `tagged ${cfg.publicAlbTagKey}=${cfg.publicAlbTagValue} may open ports ` +
                    `${cfg.allowedPublicPorts.join("/")} (TCP) to 0.0.0.0/0 or ::/0.`);
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
        const world = worldOpen(e);
        if (world === UNKNOWN) {
            f.unknown("CIDRs");
            return;
        }
        if (!world) {
            return;
        }
        // A rule can't see the tags of the group it attaches to; when its ports are allow-listed,
        // net-sg-ingress-public-alb (a stack policy) checks that the group is the public ALB's.
        f.expect(onlyAllowedPorts(e, cfg.allowedPublicPorts), "protocol/ports",
            `this rule opens ${describePorts(e)} to the world: ${WORLD_FIX}. Only ports ` +
            `${cfg.allowedPublicPorts.join("/")} (TCP) on the public ALB's security group may be world-open.`);
    },
);

const netSgIngressPublicAlb = stackRule(
    {
        name: "net-sg-ingress-public-alb",
        description: "World-open ingress rules on allow-listed ports attach only to the public ALB's security group.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "EC2.18; EC2.19 (companion of net-sg-ingress for standalone rule resources)",
        remediation: "Attach world-open 80/443 rules only to the security group tagged groundwork:role=public-alb " +
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
            if (worldOpen(e) !== true || onlyAllowedPorts(e, cfg.allowedPublicPorts) !== true) {
                continue; // either not world-open, or net-sg-ingress already decides it
            }
            const sg = rule.deps("securityGroupId").find(d => d.type === T.securityGroup);
            if (!sg) {
                if (rule.props.securityGroupId === UNKNOWN) {
                    f.unknown(`${rule.name}.securityGroupId (not linked to a security group in this stack)`);
                } else {
                    f.fail(`${rule.name} opens ${describePorts(e)} to the world on security group ` +
                        `${show(rule.props.securityGroupId)}, which is not in this stack and cannot be shown to be ` +
                        `the public ALB's: declare that group here tagged ${cfg.publicAlbTagKey}=${cfg.publicAlbTagValue} ` +
                        "and pass securityGroupId: albSg.id.", rule.urn);
                }
                continue;
            }
            f.expect(isPublicAlbSg(sg.props, cfg), `${sg.name}.tags`,
                `${rule.name} opens ${describePorts(e)} to the world on security group ${sg.name}, which is not ` +
                `tagged ${cfg.publicAlbTagKey}=${cfg.publicAlbTagValue}: ${WORLD_FIX}.`, rule.urn);
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
        out.push(...entries.map(entry => ({ owner: sg, entry })));
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
        remediation: "Replace CIDR sources on 5432/6379 with the application's security group " +
            "(referencedSecurityGroupId / sourceSecurityGroupId / securityGroups).",
        configSchema: {
            properties: {
                dbPorts: {
                    type: "array", items: { type: "integer" }, default: [5432, 6379],
                    description: "Data-store ports; the known `port` of every RDS instance and cache in the stack is added.",
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
            const hit = [...ports].filter(p => p >= lo && p <= hi);
            if (hit.length === 0) {
                continue;
            }
            if (entry.cidrs === UNKNOWN) {
                f.unknown(`${where} CIDRs`);
                continue;
            }
            const cidrs = entry.cidrs.filter(c => c !== undefined && c !== null && c !== "");
            if (cidrs.length > 0 || entry.prefixList) {
                const source = entry.prefixList && cidrs.length === 0 ? "a prefix list" : `CIDR ${cidrs.map(show).join(", ")}`;
                f.fail(`${where} allows data-store port ${hit.join("/")} from ${source}: reference the ` +
                    "client's security group instead (referencedSecurityGroupId / sourceSecurityGroupId / " +
                    "securityGroups), so only that tier can connect.", owner.urn);
            }
        }
    },
);

// ------------------------------------------------------------------------------------------------

const netDefaultSg = stackRule(
    {
        name: "net-default-sg",
        description: "Each VPC's default security group is adopted and left without rules.",
        enforcementLevel: "advisory",
        family: "network",
        source: "EC2.2; CKV2_AWS_12",
        remediation: "Declare an aws.ec2.DefaultSecurityGroup with vpcId: vpc.id and no ingress or egress.",
    },
    (stack, _cfg, f) => {
        for (const vpc of stack.ofType(T.vpc)) {
            const defaults = stack.ofType(T.defaultSecurityGroup).filter(d => d.deps("vpcId").some(v => v.urn === vpc.urn));
            if (defaults.length === 0) {
                f.fail(`VPC ${vpc.name} leaves its default security group with AWS's allow-all rules: add an ` +
                    "aws.ec2.DefaultSecurityGroup with vpcId: vpc.id and no ingress/egress.", vpc.urn);
                continue;
            }
            for (const d of defaults) {
                const ingress = asList(d.props.ingress);
                const egress = asList(d.props.egress);
                const empty: Tri = allOf([
                    ingress === UNKNOWN ? UNKNOWN : ingress.length === 0,
                    egress === UNKNOWN ? UNKNOWN : egress.length === 0,
                ]);
                f.expect(empty, `${d.name}.ingress/egress`,
                    `default security group ${d.name} of VPC ${vpc.name} has rules: remove its ingress and egress ` +
                    "so nothing can use it by accident.", d.urn);
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
        f.expect(isNotTrue(assign), "networkConfiguration.assignPublicIp",
            "networkConfiguration.assignPublicIp is true, so every task gets a public IP: set it to false and use " +
            "private subnets (egress through NAT or VPC endpoints).");
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
        remediation: "Add an aws.s3.BucketPublicAccessBlock (bucket: bucket.id) with all four flags true, and keep " +
            "object ownership BucketOwnerEnforced.",
    },
    (stack, _cfg, f) => {
        for (const bucket of stack.ofType(...T.buckets)) {
            const blocks = attachedTo(stack, [T.bucketPab], "bucket", bucket, nameIs("bucket"));
            if (blocks.length === 0) {
                f.fail(`bucket ${bucket.name} has no public access block: add an aws.s3.BucketPublicAccessBlock ` +
                    `(bucket: bucket.id) with ${BPA_FLAGS.join(", ")} all true.`, bucket.urn);
            } else {
                const ok = anyOf(blocks.map(b => allOf(BPA_FLAGS.map(flag => isTrue(b.props[flag])))));
                const off = BPA_FLAGS.filter(flag => blocks.every(b => isTrue(b.props[flag]) === false));
                f.expect(ok, `${bucket.name} public access block flags`,
                    `bucket ${bucket.name}'s public access block leaves ${off.join(", ") || "a flag"} off: set all four ` +
                    "flags to true.", bucket.urn);
            }
            // Since April 2023 new buckets default to BucketOwnerEnforced; only an explicit weaker setting or an
            // ACL turns ACLs back on.
            for (const o of attachedTo(stack, [T.bucketOwnership], "bucket", bucket, nameIs("bucket"))) {
                const ownership = at(o.props, "rule", "objectOwnership");
                f.expect(strIn(ownership, ["BucketOwnerEnforced"]), `${o.name}.rule.objectOwnership`,
                    `bucket ${bucket.name} sets objectOwnership ${show(ownership)}, which enables ACLs: use ` +
                    "\"BucketOwnerEnforced\".", o.urn);
            }
            const acl = asStr(bucket.props.acl);
            f.expect(acl === UNKNOWN ? UNKNOWN : acl === undefined || acl === "private", `${bucket.name}.acl`,
                `bucket ${bucket.name} sets acl ${show(acl)}: remove the ACL (access is granted by policy only).`, bucket.urn);
        }
    },
);

// ------------------------------------------------------------------------------------------------

const S3_DOMAIN = /\.s3([.-][a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/i;

interface CfOacConfig {
    environment?: string;
}

const netCfOac = resourceRule(
    {
        name: "net-cf-oac",
        description: "CloudFront reaches S3 origins through Origin Access Control; prod distributions have a WAF.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "CloudFront.13; CloudFront.6",
        remediation: "Give every S3 origin originAccessControlId (aws.cloudfront.OriginAccessControl) instead of an " +
            "OAI or a public bucket; in prod set webAclId to a WAFv2 web ACL (us-east-1).",
        configSchema: { properties: { environment: environmentProperty } },
    },
    [T.distribution],
    (r, cfg: CfOacConfig, f) => {
        const origins = asList(r.props.origins);
        if (origins === UNKNOWN) {
            f.unknown("origins");
        } else {
            origins.forEach((o, i) => {
                const id = asStr(peek(o, "originId"));
                const label = typeof id === "string" ? `origin ${id}` : `origins[${i}]`;
                if (isPresent(peek(o, "customOriginConfig")) || isPresent(peek(o, "vpcOriginConfig"))) {
                    return;
                }
                const s3Config = peek(o, "s3OriginConfig");
                const domain = asStr(peek(o, "domainName"));
                const isS3: Tri = isPresent(s3Config) ? true
                    : domain === UNKNOWN ? UNKNOWN : typeof domain === "string" && S3_DOMAIN.test(domain);
                if (isPresent(peek(o, "originAccessControlId"))) {
                    const oai = at(s3Config, "originAccessIdentity");
                    if (oai !== UNKNOWN && isPresent(oai)) {
                        f.fail(`${label} sets both an OAI and an OAC: drop s3OriginConfig.originAccessIdentity.`);
                    }
                    return;
                }
                f.expect(isS3 === UNKNOWN ? UNKNOWN : !isS3, `${label}.domainName`,
                    `${label} is an S3 origin without originAccessControlId: create an aws.cloudfront.OriginAccessControl ` +
                    "(signingBehavior \"always\", signingProtocol \"sigv4\") and set originAccessControlId; let the bucket " +
                    "policy allow only cloudfront.amazonaws.com with aws:SourceArn = the distribution ARN.");
            });
        }
        if (isProd(cfg) && !isPresent(r.props.webAclId)) {
            f.fail("webAclId is not set: attach a WAFv2 web ACL (scope CLOUDFRONT, created in us-east-1) in prod.");
        }
    },
);

// ------------------------------------------------------------------------------------------------

interface ResourcePolicyConfig {
    allowedConditionKeys?: string[];
}

const DEFAULT_CONDITION_KEYS = ["aws:SourceArn", "aws:SourceAccount", "aws:PrincipalOrgID"];

const netResourcePolicies = resourceRule(
    {
        name: "net-resource-policies",
        description: "Resource policies never allow everyone (Principal \"*\") without a source/organization condition.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "SQS.3; SNS.4; S3.2; S3.3; S3.6; KMS.5; CKV_AWS_32; CKV_AWS_33; CKV_AWS_387",
        remediation: "Name the principal (a service or account), or add a Condition on aws:SourceArn, " +
            "aws:SourceAccount or aws:PrincipalOrgID to every Allow with Principal \"*\".",
        configSchema: {
            properties: {
                allowedConditionKeys: {
                    type: "array", items: { type: "string" }, default: DEFAULT_CONDITION_KEYS,
                    description: "Condition keys that scope a wildcard principal enough.",
                },
            },
        },
    },
    [T.queuePolicy, T.topicPolicy, T.bucketPolicy, T.ecrRepositoryPolicy, T.kmsKey, T.queue, T.topic, ...T.buckets],
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
        const allowed = (cfg.allowedConditionKeys ?? DEFAULT_CONDITION_KEYS).map(k => k.toLowerCase());
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
            const scoped: Tri = keys === UNKNOWN ? UNKNOWN : keys.some(k => allowed.includes(k));
            if (everyone === UNKNOWN && scoped !== true) {
                f.unknown(`${label}.Principal`);
                return;
            }
            f.expect(scoped, `${label}.Condition`,
                `${label} allows ${s.notPrincipal !== undefined ? "everyone but NotPrincipal" : "Principal \"*\""} ` +
                `without a scoping condition: name the principal, or add a Condition on ` +
                `${(cfg.allowedConditionKeys ?? DEFAULT_CONDITION_KEYS).join(" / ")}.`);
        });
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
        description: "Only allow-listed load balancers are internet-facing; ALBs drop invalid headers and mitigate desync.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "ELB.4; ELB.12",
        remediation: "Set internal: true unless the load balancer is allow-listed (config or tag " +
            "groundwork:role=public-alb); on ALBs set dropInvalidHeaderFields: true and desyncMitigationMode " +
            "\"defensive\" or \"strictest\".",
        configSchema: {
            properties: {
                publicLoadBalancers: {
                    type: "array", items: { type: "string" }, default: [],
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
            f.expect(anyOf([listed, tagged]), "tags",
                `the load balancer is internet-facing (internal is ${show(p.internal)}) but not allow-listed: set ` +
                `internal: true, or list "${r.name}" in publicLoadBalancers / tag it ` +
                `${cfg.publicAlbTagKey ?? "groundwork:role"}=${cfg.publicAlbTagValue ?? "public-alb"}.`);
        }
        const lbType = asStr(p.loadBalancerType);
        if (lbType === UNKNOWN) {
            f.unknown("loadBalancerType");
            return;
        }
        if (lbType !== undefined && lbType !== "application") {
            return; // header handling and desync mitigation are ALB features
        }
        f.expect(isTrue(p.dropInvalidHeaderFields), "dropInvalidHeaderFields",
            `dropInvalidHeaderFields is ${show(p.dropInvalidHeaderFields)}: set it to true so malformed headers ` +
            "never reach targets.");
        const desync = asStr(p.desyncMitigationMode);
        f.expect(desync === UNKNOWN ? UNKNOWN : desync?.toLowerCase() !== "monitor", "desyncMitigationMode",
            "desyncMitigationMode is \"monitor\", which forwards ambiguous requests: use \"defensive\" (default) or " +
            "\"strictest\".");
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
        f.expect(isNotTrue(r.props.allowUnauthenticatedIdentities), "allowUnauthenticatedIdentities",
            "allowUnauthenticatedIdentities is true, so anyone can obtain credentials for the unauthenticated role: " +
            "set it to false.");
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
        f.expect(isNotTrue(r.props.publiclyAccessible), "publiclyAccessible",
            "publiclyAccessible is true, so the endpoint resolves to a public IP: set publiclyAccessible: false.");
        if (!isPresent(r.props.dbSubnetGroupName)) {
            f.fail("dbSubnetGroupName is not set, so the instance lands in the default VPC: set it to a subnet " +
                "group of private subnets.");
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
        description: "Databases and caches live in their own subnet group of private subnets.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "EC2.15; ElastiCache.7; CKV_AWS_323",
        remediation: "Set dbSubnetGroupName / subnetGroupName to a subnet group (not \"default\") whose subnets have " +
            "mapPublicIpOnLaunch: false and are not tagged as the public tier.",
        configSchema: {
            properties: {
                tierTagKeys: {
                    type: "array", items: { type: "string" }, default: ["tier", "Tier", "groundwork:tier"],
                    description: "Subnet tags that name the subnet's tier.",
                },
                publicTierValue: { type: "string", default: "public", description: "Tier value of public subnets." },
            },
        },
    },
    (stack, cfg: DbSubnetsConfig, f) => {
        const tierKeys = cfg.tierTagKeys ?? ["tier", "Tier", "groundwork:tier"];
        const publicValue = (cfg.publicTierValue ?? "public").toLowerCase();
        const stores: { res: Res; key: string; groupType: string }[] = [
            ...stack.ofType(T.rdsInstance).map(res => ({ res, key: "dbSubnetGroupName", groupType: T.rdsSubnetGroup })),
            ...stack.ofType(T.redis).map(res => ({ res, key: "subnetGroupName", groupType: T.cacheSubnetGroup })),
        ];
        for (const { res, key, groupType } of stores) {
            const raw = res.props[key];
            if (!isPresent(raw)) {
                f.fail(`${res.name} has no ${key}, so it lands in the default VPC's subnets: set ${key} to a subnet ` +
                    "group of private subnets.", res.urn);
                continue;
            }
            const literal = asStr(raw);
            if (typeof literal === "string" && literal.toLowerCase() === "default") {
                f.fail(`${res.name} uses the "default" subnet group: create one from the private data subnets.`, res.urn);
                continue;
            }
            const group = referencedBy(stack, res, key, [groupType], nameIs("name"))[0];
            if (!group) {
                if (raw === UNKNOWN) {
                    f.unknown(`${res.name}.${key} (not linked to a subnet group in this stack)`);
                }
                continue; // a group managed outside this stack
            }
            const subnets = group.deps("subnetIds").filter(d => d.type === T.subnet);
            if (subnets.length === 0 && group.props.subnetIds === UNKNOWN) {
                f.unknown(`${group.name}.subnetIds`);
            }
            for (const subnet of subnets) {
                f.expect(isNotTrue(subnet.props.mapPublicIpOnLaunch), `${subnet.name}.mapPublicIpOnLaunch`,
                    `${res.name}'s subnet group ${group.name} includes ${subnet.name}, which maps public IPs on launch: ` +
                    "use the private data subnets.", res.urn);
                const isPublic = anyOf(tierKeys.map(k => {
                    const v = tagOf(subnet.props, k);
                    return v === UNKNOWN ? UNKNOWN : v?.toLowerCase() === publicValue;
                }));
                f.expect(isPublic === UNKNOWN ? UNKNOWN : !isPublic, `${subnet.name}.tags`,
                    `${res.name}'s subnet group ${group.name} includes ${subnet.name}, tagged as the public tier: ` +
                    "use the private data subnets.", res.urn);
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
    netEcsNoPublicIp,
    netS3Bpa,
    netCfOac,
    netResourcePolicies,
    netAlbScheme,
    netCognitoGuest,
];
