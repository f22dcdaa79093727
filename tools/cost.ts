import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../stacks/errors";
import { trimStackTraces } from "./harness";
import { EXIT, plan, unwritable, UsageError, userPath, wrapLine } from "./plan";
import { PlannedResource } from "./plan-types";
import { StackFileError } from "./stack-file";

/**
 * The monthly cost estimate: `npm run cost -- --stack <name> [--json <file>] [--assume key=value]`.
 * Prices the resources the offline plan records (what the program really declares, not what the
 * config suggests) with a dated price table (tools/prices/us-east-1.json). Fixed costs come from the
 * resources' own properties; usage costs come from the assumptions below and are shown apart.
 */

/** One entry of the price table. */
export interface Price {
    usd: number;
    unit: string;
    source: string;
    checked: string;
    /** Whether the page read showed this price verbatim. */
    confirmed: boolean;
    /** Per instance class / node type, for prices that depend on it. */
    byClass?: Record<string, number>;
    /** Units free each month before the price applies (Cognito MAU). */
    freeUnits?: number;
}

export interface PriceTable {
    region: string;
    currency: string;
    checked: string;
    note: string;
    hoursPerMonth: number;
    prices: Record<string, Price>;
}

export function loadPrices(file = path.join(__dirname, "prices", "us-east-1.json")): PriceTable {
    return JSON.parse(fs.readFileSync(file, "utf8")) as PriceTable;
}

/**
 * Regions other than us-east-1: us-east-1 prices times a multiplier. An approximation: most
 * services cost about the same in the other US regions and 5-30 % more elsewhere, but not evenly
 * (NAT gateways, Fargate and RDS each differ by their own factor).
 */
export const REGION_MULTIPLIERS: Record<string, number> = {
    "us-east-1": 1,
    "us-east-2": 1,
    "us-west-2": 1,
    "us-west-1": 1.15,
    "ca-central-1": 1.1,
    "eu-west-1": 1.1,
    "eu-west-2": 1.15,
    "eu-central-1": 1.15,
    "eu-north-1": 1.05,
    "ap-southeast-1": 1.2,
    "ap-southeast-2": 1.2,
    "ap-northeast-1": 1.25,
    "ap-south-1": 1.1,
    "sa-east-1": 1.5,
};
/** Any region not listed above. */
export const DEFAULT_REGION_MULTIPLIER = 1.2;

export function regionMultiplier(region: string): number {
    return REGION_MULTIPLIERS[region] ?? DEFAULT_REGION_MULTIPLIER;
}

/**
 * What usage costs assume, per month and per stack. Defaults describe a small production web app
 * (a few thousand active users); dev stacks get the same figures, so their usage is overstated.
 */
export interface Assumptions {
    /** Requests reaching CloudFront (and inspected by the web ACL). */
    requestsPerMonth: number;
    /** GB CloudFront sends to viewers (the data out of the stack). */
    cdnGbOut: number;
    /** GB through the NAT gateways (image pulls, third-party APIs), split evenly between them. */
    natGb: number;
    /** Average load balancer capacity units each hour. */
    albLcu: number;
    /** GB ingested into CloudWatch Logs, split evenly between the log groups. */
    logsGb: number;
    /** GB stored in S3, split evenly between the buckets. */
    s3Gb: number;
    /** GB of images kept in each ECR repository. */
    ecrGbPerRepository: number;
    /** SQS requests (send, receive, delete, empty polls), in millions, split between the queues. */
    sqsMillionRequests: number;
    /** Cognito monthly active users. */
    mau: number;
    /** Emails sent through SES. */
    emails: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
    requestsPerMonth: 5_000_000,
    cdnGbOut: 50,
    natGb: 20,
    albLcu: 1,
    logsGb: 10,
    s3Gb: 20,
    ecrGbPerRepository: 1,
    sqsMillionRequests: 5,
    mau: 2_000,
    emails: 10_000,
};

export type CostKind = "fixed" | "usage";

export interface CostLine {
    urn: string;
    type: string;
    name: string;
    /** The nearest `groundwork:index:*` ancestor, as `<Class> <name>`, or `(stack)`. */
    component: string;
    kind: CostKind;
    /** USD per month, region multiplier applied. */
    monthly: number;
    /** How the figure was reached: quantity × price. */
    detail: string;
}

/** A resource that may cost money but has no price in the table: listed, never counted as 0. */
export interface NotPriced {
    urn: string;
    type: string;
    name: string;
    component: string;
    reason: string;
}

export interface CostGroup {
    key: string;
    fixed: number;
    usage: number;
    resources: number;
}

export interface CostEstimate {
    region: string;
    multiplier: number;
    pricesChecked: string;
    assumptions: Assumptions;
    lines: CostLine[];
    notPriced: NotPriced[];
    byComponent: CostGroup[];
    byType: CostGroup[];
    totalFixed: number;
    totalUsage: number;
    totalWithUsage: number;
}

/**
 * Types with no standing charge of their own (configuration, identity, networking glue), or
 * whose cost is counted on another resource (a task definition on its service, a flow log on its
 * log group). Anything neither here nor priced is listed as not priced.
 */
export const NO_CHARGE = [
    /^pulumi:/,
    /^groundwork:index:/,
    /^random:/,
    /^aws:iam\//,
    /^aws:ec2\/(vpc|subnet|routeTable|routeTableAssociation|route|internetGateway|securityGroup|defaultSecurityGroup|networkAcl|flowLog):/,
    /^aws:vpc\/securityGroup(Ingress|Egress)Rule:/,
    /^aws:(rds|elasticache)\/(parameterGroup|subnetGroup):/,
    /^aws:s3\/bucket[A-Z]\w*:/,
    /^aws:lb\/(targetGroup|listener|listenerRule):/,
    /^aws:kms\/alias:/,
    // SNS: the first million publishes and 1,000 email deliveries a month are free; alarms send far fewer.
    /^aws:sns\//,
    /^aws:sqs\/(queuePolicy|redriveAllowPolicy):/,
    /^aws:secretsmanager\/secretVersion:/,
    /^aws:ecr\/lifecyclePolicy:/,
    /^aws:ecs\/(cluster|clusterCapacityProviders|taskDefinition):/,
    /^aws:cloudfront\/(responseHeadersPolicy|originAccessControl|cachePolicy|originRequestPolicy):/,
    /^aws:cognito\/(userPoolClient|userPoolDomain|managedLoginBranding|riskConfiguration):/,
    // Public ACM certificates are free; alias records to AWS resources are queried for free.
    /^aws:acm\//,
    /^aws:route53\/record:/,
    /^aws:(ses|sesv2)\/(template|configurationSet|configurationSetEventDestination|emailIdentityMailFromAttributes):/,
    /^aws:wafv2\/webAclLoggingConfiguration:/,
    /^aws:cloudwatch\/(logDelivery|logDeliverySource|logDeliveryDestination|logResourcePolicy):/,
    // Saved Logs Insights queries are free; running one costs $0.005 per GB scanned, not estimated.
    /^aws:cloudwatch\/queryDefinition:/,
    // The account's first trail of management events is free (CloudTrail pricing); its S3 objects,
    // log group and key are priced on those resources. A second management-event trail in the same
    // account would pay $2.00 per 100,000 events, which this estimate does not count (see README).
    /^aws:cloudtrail\/trail:/,
    /^aws:appautoscaling\//,
];

const COMPONENT_PREFIX = "groundwork:index:";

/** The nearest `groundwork:index:*` ancestor through the parent URN chain, as `<Class> <name>`. */
export function componentOf(resource: PlannedResource, byUrn: Map<string, PlannedResource>): string {
    let current: PlannedResource | undefined = resource;
    while (current) {
        if (current.type.startsWith(COMPONENT_PREFIX)) {
            return `${current.type.slice(COMPONENT_PREFIX.length)} ${current.name}`;
        }
        current = current.parent ? byUrn.get(current.parent) : undefined;
    }
    return "(stack)";
}

const num = (value: unknown): number | undefined => {
    const n = typeof value === "string" ? Number(value) : value;
    return typeof n === "number" && Number.isFinite(n) ? n : undefined;
};

const usd = (n: number): string => `$${n.toFixed(2)}`;

interface Strategy {
    capacityProvider: string;
    weight?: number;
    base?: number;
}

/**
 * How many of `count` tasks run on FARGATE_SPOT under a capacity provider strategy: each provider's
 * base first (in order), the rest split by weight, as ECS places them.
 */
export function spotTasks(count: number, strategies: Strategy[]): number {
    if (strategies.length === 0 || count <= 0) {
        return 0;
    }
    let left = count;
    let spot = 0;
    for (const s of strategies) {
        const base = Math.min(left, s.base ?? 0);
        left -= base;
        if (s.capacityProvider === "FARGATE_SPOT") {
            spot += base;
        }
    }
    const totalWeight = strategies.reduce((sum, s) => sum + (s.weight ?? 0), 0);
    if (left > 0 && totalWeight > 0) {
        const spotWeight = strategies
            .filter((s) => s.capacityProvider === "FARGATE_SPOT")
            .reduce((sum, s) => sum + (s.weight ?? 0), 0);
        spot += (left * spotWeight) / totalWeight;
    }
    return spot;
}

/**
 * Prices a list of planned resources. Pure: the same resources, prices and assumptions give the
 * same estimate. `region` picks the multiplier applied to every us-east-1 price.
 */
export function estimateCost(
    resources: PlannedResource[],
    prices: PriceTable,
    assumptions: Assumptions = DEFAULT_ASSUMPTIONS,
    region = "us-east-1",
): CostEstimate {
    const multiplier = regionMultiplier(region);
    const hours = prices.hoursPerMonth;
    const byUrn = new Map(resources.filter((r) => r.urn).map((r) => [r.urn, r]));
    const lines: CostLine[] = [];
    const notPriced: NotPriced[] = [];
    const p = (key: string): number => {
        const price = prices.prices[key];
        if (!price) {
            throw new Error(`the price table has no ${key}`);
        }
        return price.usd;
    };
    const ofType = (type: string) => resources.filter((r) => r.type === type);
    const share = (total: number, type: string) => total / Math.max(1, ofType(type).length);

    for (const r of resources) {
        const component = componentOf(r, byUrn);
        const add = (kind: CostKind, monthly: number, detail: string) =>
            lines.push({
                urn: r.urn,
                type: r.type,
                name: r.name,
                component,
                kind,
                monthly: monthly * multiplier,
                detail,
            });
        const skip = (reason: string) => notPriced.push({ urn: r.urn, type: r.type, name: r.name, component, reason });
        const props = r.props;

        switch (r.type) {
            case "aws:ec2/natGateway:NatGateway": {
                add("fixed", hours * p("natGatewayHour"), `${hours} h × ${usd(p("natGatewayHour"))}`);
                const gb = share(assumptions.natGb, r.type);
                add("usage", gb * p("natGatewayGb"), `${gb.toFixed(1)} GB processed × ${usd(p("natGatewayGb"))}`);
                break;
            }
            case "aws:ec2/instance:Instance": {
                const type = String(props.instanceType);
                const hourly = prices.prices.ec2InstanceHour?.byClass?.[type];
                if (hourly === undefined) {
                    skip(`instance type ${type} has no price in the table`);
                } else {
                    add("fixed", hours * hourly, `${type} ${hours} h × $${hourly}`);
                }
                if (props.associatePublicIpAddress === true) {
                    add("fixed", hours * p("publicIpv4Hour"), `public IPv4 ${hours} h × $${p("publicIpv4Hour")}`);
                }
                const root = props.rootBlockDevice as { volumeSize?: unknown; volumeType?: unknown } | undefined;
                const rootGb = num(root?.volumeSize);
                if (rootGb === undefined) {
                    skip("its root volume size is the AMI's, unknown to the plan");
                } else if ((root?.volumeType ?? "gp3") !== "gp3") {
                    skip(`root volume type ${String(root?.volumeType)} has no price in the table`);
                } else {
                    add("fixed", rootGb * p("ebsGp3GbMonth"), `${rootGb} GB gp3 root volume × $${p("ebsGp3GbMonth")}`);
                }
                break;
            }
            case "aws:ec2/eip:Eip":
                add("fixed", hours * p("publicIpv4Hour"), `public IPv4 ${hours} h × $${p("publicIpv4Hour")}`);
                break;
            case "aws:ec2/vpcEndpoint:VpcEndpoint": {
                if (props.vpcEndpointType === "Gateway" || props.vpcEndpointType === undefined) {
                    break; // gateway endpoints (S3, DynamoDB) are free
                }
                const azs = Array.isArray(props.subnetIds) ? props.subnetIds.length : 1;
                add(
                    "fixed",
                    azs * hours * p("interfaceEndpointHour"),
                    `${azs} AZ × ${hours} h × $${p("interfaceEndpointHour")}`,
                );
                break;
            }
            case "aws:lb/loadBalancer:LoadBalancer": {
                if ((props.loadBalancerType ?? "application") !== "application") {
                    skip(`${String(props.loadBalancerType)} load balancers have no price in the table`);
                    break;
                }
                add("fixed", hours * p("albHour"), `${hours} h × $${p("albHour")}`);
                const lcu = assumptions.albLcu;
                add("usage", lcu * hours * p("albLcuHour"), `${lcu} LCU × ${hours} h × $${p("albLcuHour")}`);
                break;
            }
            case "aws:ecs/service:Service":
                priceService(r, byUrn, resources, prices, hours, add, skip);
                break;
            case "aws:rds/instance:Instance": {
                const cls = String(props.instanceClass);
                const hourly = prices.prices.rdsInstanceHour?.byClass?.[cls];
                const copies = props.multiAz === true ? 2 : 1;
                const az = copies === 2 ? " × 2 (Multi-AZ standby)" : "";
                if (hourly === undefined) {
                    skip(`instance class ${cls} has no price in the table`);
                } else {
                    add("fixed", copies * hours * hourly, `${cls} ${hours} h × $${hourly}${az}`);
                }
                const storage = num(props.allocatedStorage) ?? 0;
                if ((props.storageType ?? "gp3") !== "gp3") {
                    skip(`storage type ${String(props.storageType)} has no price in the table`);
                } else if (storage > 0) {
                    const gbPrice = p("rdsGp3GbMonth");
                    add("fixed", copies * storage * gbPrice, `${storage} GB gp3 × $${gbPrice}${az}`);
                }
                break;
            }
            case "aws:elasticache/replicationGroup:ReplicationGroup": {
                const nodeType = String(props.nodeType);
                const hourly = prices.prices.elasticacheNodeHour?.byClass?.[nodeType];
                const nodes =
                    num(props.numCacheClusters) ??
                    (num(props.numNodeGroups) ?? 1) * ((num(props.replicasPerNodeGroup) ?? 0) + 1);
                if (hourly === undefined) {
                    skip(`node type ${nodeType} has no price in the table`);
                } else {
                    add("fixed", nodes * hours * hourly, `${nodes} × ${nodeType} ${hours} h × $${hourly}`);
                }
                break;
            }
            case "aws:kms/key:Key":
                add("fixed", p("kmsKeyMonth"), `1 key × ${usd(p("kmsKeyMonth"))}`);
                break;
            case "aws:secretsmanager/secret:Secret":
                add("fixed", p("secretMonth"), `1 secret × ${usd(p("secretMonth"))}`);
                break;
            case "aws:cloudwatch/metricAlarm:MetricAlarm": {
                // Metric-math alarms are billed per metric they read.
                const metrics = Array.isArray(props.metricQueries)
                    ? (props.metricQueries as { metric?: unknown }[]).filter((q) => q.metric).length || 1
                    : 1;
                add("fixed", metrics * p("alarmMonth"), `${metrics} alarm metric × ${usd(p("alarmMonth"))}`);
                break;
            }
            case "aws:cloudwatch/logMetricFilter:LogMetricFilter":
                // The filter publishes its metric whenever its group receives events: a custom metric.
                add("fixed", p("customMetricMonth"), `1 custom metric × ${usd(p("customMetricMonth"))}`);
                break;
            case "aws:cloudwatch/dashboard:Dashboard":
                add("fixed", p("dashboardMonth"), `1 dashboard × ${usd(p("dashboardMonth"))}`);
                break;
            case "aws:budgets/budget:Budget": {
                const days = hours / 24;
                add("fixed", days * p("budgetDay"), `1 budget × ${days.toFixed(1)} days × ${usd(p("budgetDay"))}`);
                break;
            }
            case "aws:cloudwatch/logGroup:LogGroup": {
                const gb = share(assumptions.logsGb, r.type);
                add("usage", gb * p("logsIngestGb"), `${gb.toFixed(2)} GB ingested × ${usd(p("logsIngestGb"))}`);
                break;
            }
            case "aws:wafv2/webAcl:WebAcl": {
                const rules = Array.isArray(props.rules) ? props.rules.length : 0;
                add(
                    "fixed",
                    p("wafWebAclMonth") + rules * p("wafRuleMonth"),
                    `1 web ACL × ${usd(p("wafWebAclMonth"))} + ${rules} rules × ${usd(p("wafRuleMonth"))}`,
                );
                const millions = assumptions.requestsPerMonth / 1e6;
                add(
                    "usage",
                    millions * p("wafMillionRequests"),
                    `${millions} M requests × ${usd(p("wafMillionRequests"))}`,
                );
                break;
            }
            case "aws:route53/zone:Zone":
                add("fixed", p("hostedZoneMonth"), `1 hosted zone × ${usd(p("hostedZoneMonth"))}`);
                break;
            case "aws:cloudfront/distribution:Distribution": {
                const gb = share(assumptions.cdnGbOut, r.type);
                const requests = share(assumptions.requestsPerMonth, r.type);
                add(
                    "usage",
                    gb * p("cloudfrontGbOut") + (requests / 10_000) * p("cloudfrontTenThousandRequests"),
                    `${gb} GB out × $${p("cloudfrontGbOut")} + ${requests / 10_000} × 10k requests × $${p("cloudfrontTenThousandRequests")}`,
                );
                break;
            }
            case "aws:sqs/queue:Queue": {
                const millions = share(assumptions.sqsMillionRequests, r.type);
                add(
                    "usage",
                    millions * p("sqsMillionRequests"),
                    `${millions} M requests × ${usd(p("sqsMillionRequests"))}`,
                );
                break;
            }
            case "aws:s3/bucket:Bucket": {
                const gb = share(assumptions.s3Gb, r.type);
                add("usage", gb * p("s3GbMonth"), `${gb.toFixed(1)} GB-month × $${p("s3GbMonth")}`);
                break;
            }
            case "aws:ecr/repository:Repository": {
                const gb = assumptions.ecrGbPerRepository;
                add("usage", gb * p("ecrGbMonth"), `${gb} GB-month × ${usd(p("ecrGbMonth"))}`);
                break;
            }
            case "aws:cognito/userPool:UserPool": {
                // A new user pool's plan is Essentials unless userPoolTier says otherwise.
                const tier = String(props.userPoolTier ?? "ESSENTIALS");
                const key = { LITE: "cognitoLiteMau", ESSENTIALS: "cognitoEssentialsMau", PLUS: "cognitoPlusMau" }[
                    tier
                ];
                const price = key ? prices.prices[key] : undefined;
                if (!price) {
                    skip(`user pool tier ${tier} has no price in the table`);
                    break;
                }
                const billed = Math.max(0, assumptions.mau - (price.freeUnits ?? 0));
                add("usage", billed * price.usd, `${billed} MAU (${tier}) × $${price.usd}`);
                break;
            }
            case "aws:sesv2/emailIdentity:EmailIdentity":
            case "aws:ses/domainIdentity:DomainIdentity": {
                const thousands = share(assumptions.emails, r.type) / 1000;
                add(
                    "usage",
                    thousands * p("sesThousandEmails"),
                    `${thousands} × 1,000 emails × ${usd(p("sesThousandEmails"))}`,
                );
                break;
            }
            default:
                if (!NO_CHARGE.some((pattern) => pattern.test(r.type))) {
                    skip("no price in the table");
                }
        }
    }

    const group = (keyOf: (l: { type: string; component: string }) => string): CostGroup[] => {
        const groups = new Map<string, CostGroup>();
        const get = (key: string) => {
            const g = groups.get(key) ?? { key, fixed: 0, usage: 0, resources: 0 };
            groups.set(key, g);
            return g;
        };
        const counted = new Set<string>();
        for (const l of lines) {
            const g = get(keyOf(l));
            g[l.kind] += l.monthly;
            if (!counted.has(l.urn + l.type + l.name)) {
                counted.add(l.urn + l.type + l.name);
                g.resources++;
            }
        }
        return [...groups.values()].sort(
            (a, b) => b.fixed + b.usage - (a.fixed + a.usage) || a.key.localeCompare(b.key),
        );
    };
    const totalFixed = lines.filter((l) => l.kind === "fixed").reduce((s, l) => s + l.monthly, 0);
    const totalUsage = lines.filter((l) => l.kind === "usage").reduce((s, l) => s + l.monthly, 0);
    return {
        region,
        multiplier,
        pricesChecked: prices.checked,
        assumptions,
        lines,
        notPriced,
        byComponent: group((l) => l.component),
        byType: group((l) => l.type),
        totalFixed,
        totalUsage,
        totalWithUsage: totalFixed + totalUsage,
    };
}

/** A Fargate service: task size from its task definition × desired count, Spot share from its strategy. */
function priceService(
    service: PlannedResource,
    byUrn: Map<string, PlannedResource>,
    resources: PlannedResource[],
    prices: PriceTable,
    hours: number,
    add: (kind: CostKind, monthly: number, detail: string) => void,
    skip: (reason: string) => void,
): void {
    const props = service.props;
    const taskDefUrn = service.propertyDependencies.taskDefinition?.[0];
    const taskDef = taskDefUrn ? byUrn.get(taskDefUrn) : undefined;
    if (!taskDef || taskDef.type !== "aws:ecs/taskDefinition:TaskDefinition") {
        skip("its task definition is not in the plan (taskDefinition does not depend on one)");
        return;
    }
    const cpu = num(taskDef.props.cpu);
    const memory = num(taskDef.props.memory);
    if (cpu === undefined || memory === undefined) {
        skip("its task definition sets no task-level cpu and memory");
        return;
    }
    const strategies = (props.capacityProviderStrategies as Strategy[] | undefined) ?? [];
    if (strategies.length === 0 && props.launchType !== undefined && props.launchType !== "FARGATE") {
        skip(`launch type ${String(props.launchType)} has no price in the table`);
        return;
    }
    // Auto scaling raises the count to its minimum when the target is registered.
    const target = resources.find((r) => r.type === "aws:appautoscaling/target:Target" && r.parent === service.parent);
    const desired = num(props.desiredCount) ?? 1;
    const count = Math.max(desired, num(target?.props.minCapacity) ?? 0);
    const arm =
        (taskDef.props.runtimePlatform as { cpuArchitecture?: string } | undefined)?.cpuArchitecture === "ARM64";
    const vcpu = cpu / 1024;
    const gb = memory / 1024;
    const perTaskHour = arm
        ? vcpu * prices.prices.fargateVcpuHourArm.usd + gb * prices.prices.fargateGbHourArm.usd
        : vcpu * prices.prices.fargateVcpuHourX86.usd + gb * prices.prices.fargateGbHourX86.usd;
    const spot = spotTasks(count, strategies);
    const discount = prices.prices.fargateSpotDiscount.usd;
    const monthly = (count - spot) * perTaskHour * hours + spot * perTaskHour * (1 - discount) * hours;
    const spotText = spot > 0 ? ` (${spot.toFixed(1)} on Spot at −${Math.round(discount * 100)} %)` : "";
    add("fixed", monthly, `${count} × ${vcpu} vCPU/${gb} GB ${arm ? "arm64" : "x86"}${spotText} × ${hours} h`);
}

/** Overrides from `--assume key=value`, checked against the known keys. */
export function parseAssumption(text: string, into: Assumptions): void {
    const match = /^(\w+)=([\d_.]+)$/.exec(text);
    if (!match || !(match[1] in DEFAULT_ASSUMPTIONS)) {
        throw new UsageError(
            `--assume ${text}: expected key=number with key one of ${Object.keys(DEFAULT_ASSUMPTIONS).join(", ")}`,
        );
    }
    const value = Number(match[2].replace(/_/g, ""));
    if (!Number.isFinite(value) || value < 0) {
        throw new UsageError(`--assume ${text}: not a non-negative number`);
    }
    into[match[1] as keyof Assumptions] = value;
}

/** What each assumption means, for the printed estimate and the README. */
export const ASSUMPTION_TEXT: Record<keyof Assumptions, string> = {
    requestsPerMonth: "requests a month through CloudFront and the web ACL",
    cdnGbOut: "GB a month CloudFront sends to viewers",
    natGb: "GB a month through the NAT gateways (split between them; a NAT instance charges nothing per GB)",
    albLcu: "load balancer capacity units, hourly average",
    logsGb: "GB a month into CloudWatch Logs (split between the log groups)",
    s3Gb: "GB stored in S3 (split between the buckets)",
    ecrGbPerRepository: "GB of images in each ECR repository",
    sqsMillionRequests: "million SQS requests a month (split between the queues)",
    mau: "Cognito monthly active users",
    emails: "emails a month through SES",
};

const money = (n: number) => `$${n.toFixed(2)}`.padStart(10);

export function formatCost(estimate: CostEstimate, title: string): string {
    const lines: string[] = [title];
    lines.push(
        `Prices: us-east-1 list prices checked ${estimate.pricesChecked} (tools/prices/us-east-1.json), a dated table, not a quote.`,
    );
    if (estimate.multiplier !== 1) {
        lines.push(`Region ${estimate.region}: us-east-1 prices × ${estimate.multiplier} (an approximation).`);
    }
    const table = (heading: string, groups: CostGroup[]) => {
        const width = Math.min(70, Math.max(heading.length, ...groups.map((g) => g.key.length)));
        lines.push("", `    ${heading.padEnd(width)} ${"fixed/mo".padStart(10)} ${"usage/mo".padStart(10)}  resources`);
        for (const g of groups) {
            lines.push(
                `    ${g.key.padEnd(width)} ${money(g.fixed)} ${money(g.usage)}  ${String(g.resources).padStart(9)}`,
            );
        }
    };
    table("By component", estimate.byComponent);
    table("By resource type", estimate.byType);
    lines.push("", "Usage assumptions (override with --assume key=value):");
    for (const [key, value] of Object.entries(estimate.assumptions)) {
        lines.push(`    ${key} = ${value}: ${ASSUMPTION_TEXT[key as keyof Assumptions]}`);
    }
    if (estimate.notPriced.length > 0) {
        lines.push("", "Not priced (not counted in the totals):");
        for (const n of estimate.notPriced) {
            lines.push(`    ${n.type} ${n.name} (${n.component}): ${n.reason}`);
        }
    }
    lines.push(
        "",
        "Not counted: free tiers and credits, data transfer between AZs, backups beyond the free allowance, KMS and",
        "Secrets Manager API calls, taxes.",
        "",
        `Total fixed:      ${money(estimate.totalFixed).trim()} / month`,
        `Total with usage: ${money(estimate.totalWithUsage).trim()} / month`,
    );
    return lines.flatMap(wrapLine).join("\n");
}

/**
 * The planned resources of a stack as it runs once deployed. A stack whose services have no image
 * tag yet plans them at their first deploy (desiredCount 0, no scaling; see FargateService), which
 * would price them at nothing, so such a stack is planned again with a tag for each of them, as the
 * pipeline sets `groundwork:imageTags`.
 */
export async function plannedForCost(
    stack: string,
): Promise<{ resources: PlannedResource[]; region: string; project: string; bootstrapped: string[] }> {
    const first = await plan(stack);
    const resources = first.document.resources;
    const bootstrap = servicesAtFirstDeploy(resources);
    const region = regionOf(resources);
    if (bootstrap.length === 0) {
        return { resources, region, project: first.document.project, bootstrapped: [] };
    }
    const tags = Object.fromEntries(bootstrap.map((name) => [name, "cost-estimate"]));
    const again = await plan(stack, undefined, false, { "groundwork:imageTags": tags });
    return { resources: again.document.resources, region, project: first.document.project, bootstrapped: bootstrap };
}

/**
 * The services planned as a first deploy (no image tag yet: desired count 0, no scaling target),
 * which run no task and so cost nothing as planned.
 */
export function servicesAtFirstDeploy(resources: PlannedResource[]): string[] {
    return resources
        .filter((r) => r.type === "groundwork:index:FargateService")
        .filter((component) => {
            const service = resources.find((r) => r.type === "aws:ecs/service:Service" && r.parent === component.urn);
            const target = resources.find(
                (r) => r.type === "aws:appautoscaling/target:Target" && r.parent === component.urn,
            );
            return service !== undefined && num(service.props.desiredCount) === 0 && target === undefined;
        })
        .map((component) => component.name);
}

/** The stack's region, from its explicit AWS provider (us-east-1 when none is declared). */
export function regionOf(resources: PlannedResource[]): string {
    const provider = resources.find((r) => r.type === "pulumi:providers:aws");
    return typeof provider?.props.region === "string" ? provider.props.region : "us-east-1";
}

export async function estimateStack(
    stack: string,
    assumptions: Assumptions = DEFAULT_ASSUMPTIONS,
): Promise<{ estimate: CostEstimate; project: string; bootstrapped: string[] }> {
    const planned = await plannedForCost(stack);
    const estimate = estimateCost(planned.resources, loadPrices(), assumptions, planned.region);
    return { estimate, project: planned.project, bootstrapped: planned.bootstrapped };
}

const USAGE = "usage: npm run cost -- --stack <name> [--json <file>] [--assume key=value ...]";

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
    let stack: string | undefined;
    let json: string | undefined;
    const assumptions = { ...DEFAULT_ASSUMPTIONS };
    try {
        for (let i = 0; i < argv.length; i++) {
            const flag = argv[i];
            const value = () => {
                const v = argv[++i];
                if (v === undefined || v.startsWith("-")) {
                    throw new UsageError(`${flag} needs a value`);
                }
                return v;
            };
            if (flag === "--help" || flag === "-h") {
                console.log(
                    [
                        USAGE,
                        "",
                        "Assumptions (defaults):",
                        ...Object.entries(DEFAULT_ASSUMPTIONS).map(
                            ([k, v]) => `  ${k}=${v}  ${ASSUMPTION_TEXT[k as keyof Assumptions]}`,
                        ),
                    ].join("\n"),
                );
                return EXIT.ok;
            } else if (flag === "--stack" || flag === "-s") {
                stack = value();
            } else if (flag === "--json") {
                json = value();
            } else if (flag === "--assume") {
                parseAssumption(value(), assumptions);
            } else {
                throw new UsageError(`unknown argument ${JSON.stringify(flag)}`);
            }
        }
        if (!stack) {
            throw new UsageError("--stack is required");
        }
    } catch (err) {
        console.error(`error: ${(err as Error).message}`);
        console.error(USAGE);
        return EXIT.usage;
    }
    const jsonFile = json === undefined ? undefined : userPath(json, env);
    const problem = jsonFile === undefined ? undefined : unwritable(jsonFile);
    if (problem) {
        console.error(`error: --json ${json}: ${problem}`);
        return EXIT.usage;
    }
    try {
        const { estimate, project, bootstrapped } = await estimateStack(stack, assumptions);
        const title = `Monthly cost estimate for ${project}/${stack} (from the offline plan's resources)`;
        let text = formatCost(estimate, title);
        if (bootstrapped.length > 0) {
            text = `${text.split("\n")[0]}\nServices without an image tag yet (${bootstrapped.join(", ")}) are priced as deployed: at their desired count.\n${text.split("\n").slice(1).join("\n")}`;
        }
        if (jsonFile) {
            fs.writeFileSync(jsonFile, `${JSON.stringify({ project, stack, ...estimate }, null, 2)}\n`);
            text += `\n\nWrote the estimate JSON to ${json}`;
        }
        console.log(text);
        return EXIT.ok;
    } catch (err) {
        if (ConfigError.isConfigError(err)) {
            console.error(err.problems.map((p) => `error: ${p.key}: ${p.message}`).join("\n"));
            return EXIT.usage;
        }
        if (err instanceof StackFileError || err instanceof UsageError) {
            console.error(`error: ${(err as Error).message}`);
            return EXIT.usage;
        }
        console.error(`error: the program failed: ${err instanceof Error ? err.message : String(err)}`);
        return EXIT.programFailed;
    }
}

if (require.main === module) {
    trimStackTraces();
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err) => {
            console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
            process.exit(EXIT.programFailed);
        },
    );
}
