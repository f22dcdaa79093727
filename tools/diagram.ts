/**
 * The architecture diagram, drawn from the offline plan of a stack:
 *
 *   npm run diagram -- --stack prod
 *
 * Prints a Mermaid flowchart (the README's `## Architecture` block is this output for prod): one
 * node per Groundwork component, the VPC's subnet tiers as subgraphs (a component sits in the tier
 * of the subnets its resources are placed in), and edges for the security-group chain (from the
 * plan's ingress rules), the CDN's origins, the WAF on the CDN and the Route 53 alias records.
 * Everything is read from the resources the program declares, so the picture cannot drift from
 * the code; the output is sorted, so the same plan always gives the same text.
 */
import { ConfigError } from "../stacks/errors";
import { trimStackTraces } from "./harness";
import { plan, UsageError } from "./plan";
import { PlannedResource } from "./plan-types";
import { StackFileError } from "./stack-file";

const COMPONENT_PREFIX = "groundwork:index:";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const SUBNET = "aws:ec2/subnet:Subnet";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const RULE_TYPES = new Set([
    INGRESS_RULE,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
]);
const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
const VPC_ORIGIN = "aws:cloudfront/vpcOrigin:VpcOrigin";
const RECORD = "aws:route53/record:Record";
const BUCKET_LOGGING = "aws:s3/bucketLogging:BucketLogging";

/** The subnet tiers components/subnets.ts lays out, drawn in this order (the subnets' `tier` tag). */
const TIERS = ["public", "private", "isolated"];

/** What each component stands for on AWS, and its Mermaid shape (data stores as cylinders). */
const KINDS: Record<string, { label: string; shape: "box" | "cylinder" | "queue" }> = {
    AccessLogBucket: { label: "S3 server access logs", shape: "cylinder" },
    AliasRecords: { label: "Route 53 aliases", shape: "box" },
    AppSecrets: { label: "Secrets Manager", shape: "box" },
    AppSecurityGroup: { label: "security group", shape: "box" },
    Audit: { label: "CloudTrail trail, CIS alarms", shape: "box" },
    Auth: { label: "Cognito user pool", shape: "box" },
    Bucket: { label: "S3 bucket", shape: "cylinder" },
    Cache: { label: "ElastiCache Redis", shape: "cylinder" },
    Cdn: { label: "CloudFront", shape: "box" },
    Cluster: { label: "ECS cluster", shape: "box" },
    Database: { label: "RDS PostgreSQL", shape: "cylinder" },
    Dns: { label: "Route 53 zone, ACM certificates", shape: "box" },
    FargateService: { label: "ECS Fargate service", shape: "box" },
    GithubDeployRoles: { label: "IAM roles for GitHub OIDC", shape: "box" },
    LoadBalancer: { label: "Application Load Balancer", shape: "box" },
    LogQueries: { label: "Logs Insights queries", shape: "box" },
    Mail: { label: "SES domain", shape: "box" },
    Monitoring: { label: "CloudWatch alarms, SNS", shape: "box" },
    Queue: { label: "SQS queue + DLQ", shape: "queue" },
    WebAcl: { label: "WAF web ACL", shape: "box" },
};

export interface DiagramNode {
    id: string;
    label: string;
    shape: "box" | "cylinder" | "queue";
    /** The subgraph it is drawn in, if any. */
    group?: string;
}

export interface DiagramGroup {
    id: string;
    label: string;
    /** The enclosing subgraph, if any. */
    parent?: string;
}

export interface DiagramEdge {
    from: string;
    to: string;
    /** What the edge carries (`443/tcp`, `origin`, `alias`), several merged in sorted order. */
    labels: string[];
}

export interface Diagram {
    nodes: DiagramNode[];
    groups: DiagramGroup[];
    edges: DiagramEdge[];
}

/**
 * A Mermaid ID from free text: lower case, letters, digits and `_`. IDs always start with the
 * component's class, so none is the word `end` (which breaks a flowchart) and none starts with
 * `o`/`x` right after an arrow (Mermaid's flowchart syntax docs; edges also reach subgraph IDs).
 */
function mermaidId(...parts: string[]): string {
    return parts
        .join("_")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "_")
        .replace(/^_|_$/g, "");
}

function quoteLabel(text: string): string {
    return `"${text.replace(/"/g, "#quot;")}"`;
}

function portLabel(rule: PlannedResource): string {
    const protocol = String(rule.props.ipProtocol ?? "tcp");
    if (protocol === "-1" || protocol === "all") {
        return "all traffic";
    }
    const from = rule.props.fromPort;
    const to = rule.props.toPort ?? from;
    return from === to ? `${String(from)}/${protocol}` : `${String(from)}-${String(to)}/${protocol}`;
}

/**
 * The diagram's model from the plan's resources: which components are nodes, where they sit, and
 * what connects them. Pure: tests feed it hand-made resource lists.
 */
export function buildDiagram(resources: PlannedResource[]): Diagram {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const isComponent = (r: PlannedResource) => r.type.startsWith(COMPONENT_PREFIX);
    const className = (r: PlannedResource) => r.type.slice(COMPONENT_PREFIX.length);

    /** The nearest Groundwork component at or above a resource, by its parent chain. */
    const ownerCache = new Map<string, PlannedResource | undefined>();
    const ownerOf = (urn: string | undefined): PlannedResource | undefined => {
        if (urn === undefined) {
            return undefined;
        }
        if (ownerCache.has(urn)) {
            return ownerCache.get(urn);
        }
        const r = byUrn.get(urn);
        const owner = r === undefined ? undefined : isComponent(r) ? r : ownerOf(r.parent);
        ownerCache.set(urn, owner);
        return owner;
    };
    const owned = new Map<string, PlannedResource[]>();
    for (const r of resources) {
        const owner = ownerOf(r.parent);
        if (owner && !isComponent(r)) {
            owned.set(owner.urn, [...(owned.get(owner.urn) ?? []), r]);
        }
    }
    const dependencyUrns = (r: PlannedResource) => [...new Set(Object.values(r.propertyDependencies).flat())];

    // Subnets by tier, under the VPC component that owns them.
    const groups = new Map<string, DiagramGroup>();
    const subnetGroup = new Map<string, string>();
    for (const subnet of resources.filter((r) => r.type === SUBNET)) {
        const tier = (subnet.props.tags as Record<string, string> | undefined)?.tier;
        if (!tier) {
            continue;
        }
        const vpc = ownerOf(subnet.parent);
        let parent: string | undefined;
        if (vpc) {
            parent = mermaidId("vpc", vpc.name);
            const cidr = (owned.get(vpc.urn) ?? []).find((r) => r.type === "aws:ec2/vpc:Vpc")?.props.cidrBlock;
            groups.set(parent, { id: parent, label: `VPC ${vpc.name}${cidr ? ` ${String(cidr)}` : ""}` });
        }
        const id = mermaidId(parent ?? "", tier);
        groups.set(id, { id, label: `${tier} subnets`, ...(parent ? { parent } : {}) });
        subnetGroup.set(subnet.urn, id);
    }

    // A component whose resources are placed in subnets sits in their tier (the VPC itself owns them all).
    const tierOf = (component: PlannedResource): string | undefined => {
        const counts = new Map<string, number>();
        for (const r of owned.get(component.urn) ?? []) {
            for (const urn of dependencyUrns(r)) {
                const group = subnetGroup.get(urn);
                if (group && ownerOf(urn) !== component) {
                    counts.set(group, (counts.get(group) ?? 0) + 1);
                }
            }
        }
        return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
    };

    // Nodes: every component but the VPC (drawn as its subgraph) and a security group shared by
    // other components (drawn as a subgraph around them, when anything attaches it).
    const components = resources.filter(isComponent);
    const owningVpcs = new Set([...subnetGroup.keys()].map((urn) => ownerOf(urn)?.urn));
    const nodeIds = new Map<string, string>();
    const nodes: DiagramNode[] = [];
    const sharedGroups = components.filter(
        (c) =>
            (owned.get(c.urn) ?? []).length > 0 &&
            (owned.get(c.urn) ?? []).every((r) => r.type === SECURITY_GROUP || RULE_TYPES.has(r.type)),
    );
    for (const c of components) {
        if (owningVpcs.has(c.urn) || sharedGroups.includes(c)) {
            continue;
        }
        const kind = KINDS[className(c)] ?? { label: className(c), shape: "box" as const };
        let label = kind.label;
        if (className(c) === "AliasRecords") {
            const names = (owned.get(c.urn) ?? []).filter((r) => r.type === RECORD).map((r) => String(r.props.name));
            label = [...new Set(names)].sort().join(", ") || label;
        }
        if (className(c) === "LoadBalancer") {
            const lb = (owned.get(c.urn) ?? []).find((r) => r.type === "aws:lb/loadBalancer:LoadBalancer");
            label = `${label}, ${lb?.props.internal === true ? "internal" : "internet-facing"}`;
        }
        const id = mermaidId(className(c), c.name);
        nodeIds.set(c.urn, id);
        const group = tierOf(c);
        nodes.push({ id, label: `${c.name}<br/>${label}`, shape: kind.shape, ...(group ? { group } : {}) });
    }
    for (const c of sharedGroups) {
        const groupUrns = new Set((owned.get(c.urn) ?? []).filter((r) => r.type === SECURITY_GROUP).map((r) => r.urn));
        const members = new Set<string>();
        for (const r of resources) {
            const owner = ownerOf(r.parent);
            if (owner && owner !== c && nodeIds.has(owner.urn) && !RULE_TYPES.has(r.type)) {
                if (dependencyUrns(r).some((urn) => groupUrns.has(urn))) {
                    members.add(nodeIds.get(owner.urn)!);
                }
            }
        }
        const id = mermaidId(className(c), c.name);
        nodeIds.set(c.urn, id);
        if (members.size === 0) {
            nodes.push({ id, label: `${c.name}<br/>${KINDS.AppSecurityGroup.label}`, shape: "box" });
            continue;
        }
        const memberNodes = nodes.filter((n) => members.has(n.id));
        const tiers = new Set(memberNodes.map((n) => n.group));
        const parent = tiers.size === 1 ? [...tiers][0] : undefined;
        groups.set(id, { id, label: `security group ${c.name}`, ...(parent ? { parent } : {}) });
        for (const n of memberNodes) {
            n.group = id;
        }
    }

    const edges = new Map<string, DiagramEdge>();
    const addEdge = (from: string | undefined, to: string | undefined, label: string) => {
        if (!from || !to || from === to) {
            return;
        }
        const key = `${from}\u0000${to}`;
        const edge = edges.get(key) ?? { from, to, labels: [] };
        if (!edge.labels.includes(label)) {
            edge.labels.push(label);
        }
        edges.set(key, edge);
    };
    const nodeOf = (urn: string) => nodeIds.get(ownerOf(urn)?.urn ?? "");
    const cdnNodes = components.filter((c) => className(c) === "Cdn").map((c) => nodeIds.get(c.urn)!);

    // The security-group chain: every way into every group, drawn from the component owning the
    // source group to the one owning the target. Groundwork references one managed prefix list,
    // CloudFront's origin-facing list (components/load-balancer.ts), so that source is the CDN.
    const groupUrnOf = (rule: PlannedResource, field: string) =>
        (rule.propertyDependencies[field] ?? []).find((urn) => byUrn.get(urn)?.type === SECURITY_GROUP);
    const outside = new Map<string, DiagramNode>();
    const outsideNode = (text: string) => {
        const id = mermaidId("source", text);
        outside.set(id, { id, label: text, shape: "box" });
        return id;
    };
    for (const rule of resources.filter((r) => r.type === INGRESS_RULE)) {
        const target = groupUrnOf(rule, "securityGroupId");
        const sourceGroup = groupUrnOf(rule, "referencedSecurityGroupId");
        const targetId = target ? nodeOf(target) : outsideNode(String(rule.props.securityGroupId));
        let sourceId: string | undefined;
        if (sourceGroup) {
            sourceId = nodeOf(sourceGroup);
        } else if (rule.props.referencedSecurityGroupId !== undefined) {
            sourceId = outsideNode(String(rule.props.referencedSecurityGroupId));
        } else if (rule.props.prefixListId !== undefined) {
            sourceId =
                cdnNodes.length === 1 ? cdnNodes[0] : outsideNode(`prefix list ${String(rule.props.prefixListId)}`);
        } else {
            sourceId = outsideNode(String(rule.props.cidrIpv4 ?? rule.props.cidrIpv6));
        }
        addEdge(sourceId, targetId, portLabel(rule));
    }

    // The CDN's origins (and VPC origins), and the web ACL attached to it.
    for (const r of resources.filter((r) => r.type === DISTRIBUTION || r.type === VPC_ORIGIN)) {
        const cdn = nodeOf(r.urn);
        const originFields = r.type === DISTRIBUTION ? ["origins"] : ["vpcOriginEndpointConfig"];
        for (const urn of originFields.flatMap((f) => r.propertyDependencies[f] ?? [])) {
            addEdge(cdn, nodeOf(urn), "origin");
        }
        for (const urn of r.propertyDependencies.webAclId ?? []) {
            addEdge(nodeOf(urn), cdn, "WAF");
        }
    }
    // Origins named by a DNS name of ours (the load balancer's origin name): through the alias.
    const aliasRecords = resources.filter((r) => r.type === RECORD && r.props.aliases !== undefined);
    for (const d of resources.filter((r) => r.type === DISTRIBUTION)) {
        for (const origin of (d.props.origins as { domainName?: unknown }[] | undefined) ?? []) {
            for (const record of aliasRecords.filter((a) => a.props.name === origin.domainName)) {
                for (const urn of record.propertyDependencies.aliases ?? []) {
                    addEdge(nodeOf(d.urn), nodeOf(urn), "origin");
                }
            }
        }
    }
    // S3 server access logging: the logged bucket points at the bucket its logs go to.
    for (const logging of resources.filter((r) => r.type === BUCKET_LOGGING)) {
        for (const source of logging.propertyDependencies.bucket ?? []) {
            for (const target of logging.propertyDependencies.targetBucket ?? []) {
                addEdge(nodeOf(source), nodeOf(target), "access logs");
            }
        }
    }
    // Alias records: the name's owner points at what it names.
    for (const record of aliasRecords) {
        for (const urn of record.propertyDependencies.aliases ?? []) {
            addEdge(nodeOf(record.urn), nodeOf(urn), "alias");
        }
    }

    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    return {
        nodes: [...nodes, ...outside.values()].sort(byId),
        groups: [...groups.values()].sort(byId),
        edges: [...edges.values()]
            .map((e) => ({ ...e, labels: [...e.labels].sort() }))
            .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
    };
}

function nodeLine(node: DiagramNode): string {
    const label = quoteLabel(node.label);
    switch (node.shape) {
        case "cylinder":
            return `${node.id}[(${label})]`;
        case "queue":
            return `${node.id}[[${label}]]`;
        default:
            return `${node.id}[${label}]`;
    }
}

/** The Mermaid text of a diagram: subgraphs nested in tier order, then the edges. */
export function renderMermaid(diagram: Diagram): string {
    const lines = ["flowchart LR"];
    const tierRank = (g: DiagramGroup) => {
        const rank = TIERS.findIndex((t) => g.id.endsWith(`_${t}`) || g.id === t);
        return rank === -1 ? TIERS.length : rank;
    };
    const emit = (parent: string | undefined, indent: string) => {
        for (const node of diagram.nodes.filter((n) => n.group === parent)) {
            lines.push(`${indent}${nodeLine(node)}`);
        }
        const children = diagram.groups
            .filter((g) => g.parent === parent)
            .sort((a, b) => tierRank(a) - tierRank(b) || a.id.localeCompare(b.id));
        for (const group of children) {
            lines.push(`${indent}subgraph ${group.id}[${quoteLabel(group.label)}]`);
            emit(group.id, `${indent}    `);
            lines.push(`${indent}end`);
        }
    };
    emit(undefined, "    ");
    for (const edge of diagram.edges) {
        lines.push(`    ${edge.from} -->|${quoteLabel(edge.labels.join(", "))}| ${edge.to}`);
    }
    return `${lines.join("\n")}\n`;
}

/** The diagram of a planned stack, as `npm run diagram -- --stack <name>` prints it. */
export async function stackDiagram(stack: string): Promise<string> {
    const result = await plan(stack);
    return renderMermaid(buildDiagram(result.document.resources));
}

const USAGE = "usage: npm run diagram -- --stack <name>";

export function parseDiagramArgs(argv: string[]): { stack?: string; help?: boolean } {
    const args: { stack?: string; help?: boolean } = {};
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        if (flag === "--help" || flag === "-h") {
            args.help = true;
        } else if (flag === "--stack" || flag === "-s") {
            const value = argv[++i];
            if (value === undefined || value.startsWith("-")) {
                throw new UsageError(`${flag} needs a value`);
            }
            args.stack = value;
        } else if (flag.startsWith("--stack=")) {
            args.stack = flag.slice("--stack=".length);
        } else {
            throw new UsageError(`unknown argument ${JSON.stringify(flag)}`);
        }
    }
    if (!args.help && !args.stack) {
        throw new UsageError("--stack is required");
    }
    return args;
}

export async function main(argv: string[]): Promise<number> {
    let args: { stack?: string; help?: boolean };
    try {
        args = parseDiagramArgs(argv);
    } catch (err) {
        console.error(`error: ${(err as Error).message}\n${USAGE}`);
        return 2;
    }
    if (args.help) {
        console.log(`${USAGE}\n\nPrints the stack's architecture as a Mermaid flowchart, drawn from its offline plan.`);
        return 0;
    }
    try {
        process.stdout.write(await stackDiagram(args.stack!));
        return 0;
    } catch (err) {
        console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
        return err instanceof StackFileError || err instanceof UsageError || ConfigError.isConfigError(err) ? 2 : 3;
    }
}

if (require.main === module) {
    trimStackTraces();
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err) => {
            console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
            process.exit(3);
        },
    );
}
