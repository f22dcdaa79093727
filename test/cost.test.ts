import { expect } from "chai";
import { PlannedResource } from "../tools/plan-types";
import { Monitoring } from "../components/monitoring";
import { Vpc, VpcArgs } from "../components/vpc";
import { run } from "./helpers";
import { TIER_DEFAULTS } from "../stacks";
import {
    DEFAULT_ASSUMPTIONS,
    estimateCost,
    estimateStack,
    loadPrices,
    parseAssumption,
    regionMultiplier,
    spotTasks,
} from "../tools/cost";

const prices = loadPrices();
const HOURS = prices.hoursPerMonth;

/** A planned resource with only what the estimator reads. */
function res(type: string, name: string, props: Record<string, unknown> = {}, extra: Partial<PlannedResource> = {}) {
    return {
        urn: `urn:pulumi:test::groundwork::${type}::${name}`,
        type,
        name,
        custom: true,
        props,
        options: {
            protect: false,
            retainOnDelete: false,
            ignoreChanges: [],
            deleteBeforeReplace: false,
            aliases: [],
            additionalSecretOutputs: [],
            replaceOnChanges: [],
            customTimeouts: {},
        },
        dependencies: [],
        propertyDependencies: {},
        ...extra,
    } as PlannedResource;
}

const fixed = (resources: PlannedResource[]) => estimateCost(resources, prices).totalFixed;

/** A Fargate service with its task definition, linked as the plan records them. */
function fargate(name: string, cpu: number, memory: number, count: number, opts: Record<string, unknown> = {}) {
    const taskDef = res("aws:ecs/taskDefinition:TaskDefinition", name, {
        cpu: String(cpu),
        memory: String(memory),
        runtimePlatform: { cpuArchitecture: opts.arm ? "ARM64" : "X86_64", operatingSystemFamily: "LINUX" },
    });
    const service = res(
        "aws:ecs/service:Service",
        name,
        {
            desiredCount: count,
            capacityProviderStrategies: opts.strategies ?? [{ capacityProvider: "FARGATE", weight: 1 }],
        },
        { propertyDependencies: { taskDefinition: [taskDef.urn] } },
    );
    return [taskDef, service];
}

describe("cost estimate", () => {
    it("prices two NAT gateways (prod, one per AZ) at twice one (dev)", () => {
        const nat = (n: number) => res("aws:ec2/natGateway:NatGateway", `nat-${n}`);
        const dev = fixed([nat(1)]);
        const prod = fixed([nat(1), nat(2)]);
        expect(dev).to.be.closeTo(HOURS * 0.045, 1e-9);
        expect(prod).to.be.closeTo(2 * dev, 1e-9);
    });

    it("doubles an RDS instance's hours and storage with Multi-AZ", () => {
        const db = (multiAz: boolean) =>
            res("aws:rds/instance:Instance", "db", {
                instanceClass: "db.t4g.small",
                multiAz,
                allocatedStorage: 20,
                storageType: "gp3",
            });
        const single = fixed([db(false)]);
        expect(single).to.be.closeTo(HOURS * 0.032 + 20 * 0.115, 1e-9);
        expect(fixed([db(true)])).to.be.closeTo(2 * single, 1e-9);
    });

    it("sizes Fargate tasks from the service's task definition times its desired count", () => {
        const perTask = (0.5 * 0.04048 + 1 * 0.004445) * HOURS;
        expect(fixed(fargate("api", 512, 1024, 2))).to.be.closeTo(2 * perTask, 1e-9);
        const armPerTask = (0.5 * 0.03238 + 1 * 0.00356) * HOURS;
        expect(fixed(fargate("api", 512, 1024, 2, { arm: true }))).to.be.closeTo(2 * armPerTask, 1e-9);
    });

    it("takes the Spot discount on the tasks the capacity provider strategy puts on FARGATE_SPOT", () => {
        const strategies = [
            { capacityProvider: "FARGATE", weight: 1, base: 1 },
            { capacityProvider: "FARGATE_SPOT", weight: 3, base: 0 },
        ];
        // 5 tasks: 1 base on FARGATE, the other 4 split 1:3.
        expect(spotTasks(5, strategies)).to.equal(3);
        const perTask = (0.25 * 0.04048 + 0.5 * 0.004445) * HOURS;
        expect(fixed(fargate("worker", 256, 512, 5, { strategies }))).to.be.closeTo(
            2 * perTask + 3 * perTask * 0.3,
            1e-9,
        );
        expect(spotTasks(5, [{ capacityProvider: "FARGATE", weight: 1 }])).to.equal(0);
    });

    it("prices a NAT instance by its type's hours, its public IPv4 and its gp3 root volume", () => {
        const instance = (props: Record<string, unknown>) => res("aws:ec2/instance:Instance", "nat", props);
        const full = {
            instanceType: "t4g.nano",
            associatePublicIpAddress: true,
            rootBlockDevice: { volumeType: "gp3", volumeSize: 8 },
        };
        expect(fixed([instance(full)])).to.be.closeTo(HOURS * 0.0042 + HOURS * 0.005 + 8 * 0.08, 1e-9);
        expect(fixed([instance({ ...full, associatePublicIpAddress: false })])).to.be.closeTo(
            HOURS * 0.0042 + 8 * 0.08,
            1e-9,
        );
        // A type or a disk the table cannot price is listed, never counted as $0.
        const unknown = estimateCost([instance({ ...full, instanceType: "x9.huge", rootBlockDevice: {} })], prices);
        expect(unknown.notPriced.map((n) => n.reason)).to.deep.equal([
            "instance type x9.huge has no price in the table",
            "its root volume size is the AMI's, unknown to the plan",
        ]);
    });

    it("prices an interface endpoint per AZ it sits in, and a gateway endpoint at nothing", () => {
        const endpoint = (props: Record<string, unknown>) => res("aws:ec2/vpcEndpoint:VpcEndpoint", "e", props);
        expect(fixed([endpoint({ vpcEndpointType: "Interface", subnetIds: ["a", "b"] })])).to.be.closeTo(
            2 * HOURS * 0.01,
            1e-9,
        );
        expect(fixed([endpoint({ vpcEndpointType: "Gateway" })])).to.equal(0);
    });

    it("a NAT instance saves a dev network the NAT gateway, its address, its alarms and its per-GB charge", async () => {
        const network = async (args: VpcArgs) =>
            estimateCost(
                (
                    await run(() => {
                        const mon = new Monitoring("mon", { region: "us-east-1", alarmEmails: ["ops@example.com"] });
                        new Vpc("net", { ...args, alarmTopicArn: mon.alarmTopicArn });
                    })
                ).resources,
                prices,
            );
        const gateway = await network({ natGateways: "single" });
        const instance = await network({ natGateways: "instance" });
        // Gateway: $0.045/h + its IPv4 $0.005/h + two alarms; instance: t4g.nano + IPv4 + 8 GB + one alarm.
        const saving = HOURS * (0.045 + 0.005) + 2 * 0.1 - (HOURS * (0.0042 + 0.005) + 8 * 0.08 + 0.1);
        expect(gateway.totalFixed - instance.totalFixed).to.be.closeTo(saving, 1e-9);
        expect(saving).to.be.closeTo(29.24, 0.01);
        // No data processing charge: the natGb assumption only applies to NAT gateways.
        expect(gateway.totalUsage - instance.totalUsage).to.be.closeTo(DEFAULT_ASSUMPTIONS.natGb * 0.045, 1e-9);
        expect(instance.notPriced).to.deep.equal([]);
    });

    it("lists a type it has no price for as not priced, outside the totals, rather than as $0", () => {
        const estimate = estimateCost(
            [
                res("aws:kms/key:Key", "key"),
                res("aws:opensearch/domain:Domain", "search"),
                res("aws:rds/instance:Instance", "db", { instanceClass: "db.r7g.24xlarge", allocatedStorage: 20 }),
                res("aws:iam/role:Role", "role"),
            ],
            prices,
        );
        expect(estimate.notPriced.map((n) => `${n.type} ${n.name}`)).to.deep.equal([
            "aws:opensearch/domain:Domain search",
            "aws:rds/instance:Instance db",
        ]);
        expect(estimate.lines.map((l) => l.type)).to.not.include("aws:opensearch/domain:Domain");
        // The role has no charge of its own; the key is $1 and the database's storage is still priced.
        expect(estimate.totalFixed).to.be.closeTo(1 + 20 * 0.115, 1e-9);
    });

    it("prices the audit trail's metric filters as custom metrics; the trail and saved queries cost nothing themselves", () => {
        const estimate = estimateCost(
            [
                res("aws:cloudtrail/trail:Trail", "audit"),
                res("aws:cloudwatch/logMetricFilter:LogMetricFilter", "audit-root-account-usage"),
                res("aws:cloudwatch/logMetricFilter:LogMetricFilter", "audit-vpc-changes"),
                res("aws:cloudwatch/queryDefinition:QueryDefinition", "queries-errors"),
                res("aws:s3/bucketLogging:BucketLogging", "uploads-logging"),
            ],
            prices,
        );
        expect(estimate.notPriced).to.deep.equal([]);
        expect(estimate.totalFixed).to.be.closeTo(2 * 0.3, 1e-9);
        expect(estimate.totalUsage).to.equal(0);
    });

    it("groups costs under the nearest groundwork component up the parent chain", () => {
        const component = res("groundwork:index:Vpc", "network", {}, { custom: false });
        const nat = res("aws:ec2/natGateway:NatGateway", "network-nat-1", {}, { parent: component.urn });
        const loose = res("aws:kms/key:Key", "loose");
        const estimate = estimateCost([component, nat, loose], prices);
        expect(estimate.byComponent.map((g) => g.key)).to.deep.equal(["Vpc network", "(stack)"]);
        expect(estimate.byComponent[0].fixed).to.be.closeTo(HOURS * 0.045, 1e-9);
    });

    it("keeps usage apart from fixed costs and follows the assumptions", () => {
        const waf = res("aws:wafv2/webAcl:WebAcl", "waf", { rules: [{}, {}, {}, {}] });
        const estimate = estimateCost([waf], prices, { ...DEFAULT_ASSUMPTIONS, requestsPerMonth: 10_000_000 });
        expect(estimate.totalFixed).to.be.closeTo(5 + 4 * 1, 1e-9);
        expect(estimate.totalUsage).to.be.closeTo(10 * 0.6, 1e-9);
        expect(estimate.totalWithUsage).to.be.closeTo(15, 1e-9);
    });

    it("applies a region multiplier to every price outside us-east-1", () => {
        const nat = [res("aws:ec2/natGateway:NatGateway", "nat")];
        const east = estimateCost(nat, prices, DEFAULT_ASSUMPTIONS, "us-east-1").totalFixed;
        const frankfurt = estimateCost(nat, prices, DEFAULT_ASSUMPTIONS, "eu-central-1").totalFixed;
        expect(frankfurt).to.be.closeTo(east * regionMultiplier("eu-central-1"), 1e-9);
        expect(regionMultiplier("eu-central-1")).to.be.greaterThan(1);
    });

    it("reads --assume key=value and refuses unknown keys", () => {
        const into = { ...DEFAULT_ASSUMPTIONS };
        parseAssumption("mau=50_000", into);
        expect(into.mau).to.equal(50_000);
        expect(() => parseAssumption("visitors=3", into)).to.throw(/key one of/);
    });

    it("every price in the table names its source page and the date it was checked", () => {
        for (const [key, price] of Object.entries(prices.prices)) {
            expect(price.source, key).to.match(/^https:\/\/aws\.amazon\.com\//);
            expect(price.checked, key).to.match(/^\d{4}-\d{2}-\d{2}$/);
        }
    });

    it("prices the whole dev and prod stacks at the figures computed by hand from the price list", async () => {
        // Computed by hand from AWS's us-east-1 list prices (the sources in tools/prices/us-east-1.json)
        // and the resources the stacks declare, counted in the plan. When a stack gains or loses a
        // priced resource, this fails: count it, recompute the figure by hand, and update it here and
        // in the README's cost table.
        const h = 730; // hours a month
        const task = (vcpu: number, gb: number) => (vcpu * 0.04048 + gb * 0.004445) * h; // Fargate x86
        const shared = (keys: number, alarmMetrics: number) => ({
            "aws:ec2/natGateway:NatGateway": 0, // set per stack
            "aws:lb/loadBalancer:LoadBalancer": 0.0225 * h, // one ALB, hours only (LCUs are usage)
            "aws:kms/key:Key": keys * 1.0,
            "aws:cloudwatch/metricAlarm:MetricAlarm": alarmMetrics * 0.1,
            "aws:cloudwatch/dashboard:Dashboard": 3.0,
            "aws:secretsmanager/secret:Secret": 5 * 0.4,
            "aws:budgets/budget:Budget": (h / 24) * 0.02,
        });
        const dev: Record<string, number> = {
            ...shared(10, 28),
            "aws:ec2/natGateway:NatGateway": 0.045 * h, // single NAT gateway
            "aws:ec2/eip:Eip": 0.005 * h, // its public IPv4 address
            "aws:rds/instance:Instance": 0.016 * h + 20 * 0.115, // db.t4g.micro, 20 GB gp3, single-AZ
            "aws:elasticache/replicationGroup:ReplicationGroup": 0.016 * h, // one cache.t4g.micro
            "aws:ecs/service:Service": task(0.25, 0.5), // api: one 0.25 vCPU / 0.5 GB task
        };
        const prod: Record<string, number> = {
            ...shared(12, 59),
            "aws:ec2/natGateway:NatGateway": 2 * 0.045 * h, // one per AZ
            "aws:ec2/eip:Eip": 2 * 0.005 * h,
            "aws:rds/instance:Instance": 2 * (0.032 * h + 20 * 0.115), // db.t4g.small Multi-AZ
            "aws:elasticache/replicationGroup:ReplicationGroup": 2 * 0.032 * h, // two cache.t4g.small
            // api 2 × 0.5 vCPU/1 GB; worker 5 × 0.25/0.5 with 3 on Spot (−70 %); scheduler 1, notifier 2.
            "aws:ecs/service:Service":
                2 * task(0.5, 1) + (2 + 3 * 0.3) * task(0.25, 0.5) + task(0.25, 0.5) + 2 * task(0.25, 0.5),
            "aws:wafv2/webAcl:WebAcl": 5 + 4 * 1, // the ACL and its four rules
            "aws:cloudwatch/logMetricFilter:LogMetricFilter": 10 * 0.3, // the trail's CIS filters
        };
        for (const [stack, expected] of [
            ["dev", dev],
            ["prod", prod],
        ] as const) {
            const estimate = (await estimateStack(stack)).estimate;
            const byType = Object.fromEntries(
                estimate.byType.filter((g) => g.fixed > 0).map((g) => [g.key, g.fixed] as const),
            );
            for (const [type, usd] of Object.entries(expected)) {
                expect(byType[type] ?? 0, `${stack}: ${type}`).to.be.closeTo(usd, 0.005);
            }
            expect(Object.keys(byType).sort(), `${stack}: the priced types`).to.deep.equal(
                Object.keys(expected).sort(),
            );
            const total = Object.values(expected).reduce((sum, usd) => sum + usd, 0);
            expect(estimate.totalFixed, `${stack}: total fixed`).to.be.closeTo(total, 0.01);
        }
        // The figures themselves, as the README's cost table shows them.
        expect(Object.values(dev).reduce((a, b) => a + b, 0)).to.be.closeTo(106.0, 0.01);
        expect(Object.values(prod).reduce((a, b) => a + b, 0)).to.be.closeTo(312.17, 0.01);
    });

    it("estimates the whole dev and prod stacks through the offline plan: dev costs less than prod, both within their tier budgets", async () => {
        const dev = (await estimateStack("dev")).estimate;
        const prod = (await estimateStack("prod")).estimate;
        expect(dev.totalFixed).to.be.greaterThan(0);
        expect(prod.totalFixed).to.be.greaterThan(dev.totalFixed);
        expect(prod.totalWithUsage).to.be.greaterThan(dev.totalWithUsage);
        // Services are priced as deployed (at their desired count), not at the first deploy's zero.
        expect(prod.byType.find((g) => g.key === "aws:ecs/service:Service")?.fixed).to.be.greaterThan(0);
        expect(prod.notPriced).to.deep.equal([]);
        expect(dev.notPriced).to.deep.equal([]);
        // Each tier's default budget is the estimate plus a margin, set by hand from these figures
        // (the program cannot run the estimator); it must not fall behind them as the stack grows.
        for (const [tier, estimate] of [
            ["dev", dev],
            ["prod", prod],
        ] as const) {
            expect(estimate.totalWithUsage, `${tier} estimate within its default budget`).to.be.at.most(
                TIER_DEFAULTS[tier].budgetMonthlyUsd,
            );
        }
        // Each stack declares its budget, priced like the rest.
        expect(prod.byType.find((g) => g.key === "aws:budgets/budget:Budget")?.fixed).to.be.closeTo(
            (HOURS / 24) * 0.02,
            1e-9,
        );
    });
});
