import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as awsvpc from "@pulumi/aws/vpc";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { getParameterOutput } from "@pulumi/aws/ssm/getParameter";
import { ComponentArgError, policyDocument, requireInt, requireOneOf, stackScopedName } from "./common";
import { stackIamPath } from "./internal/naming";
import { KmsKey, createKmsKey } from "./kms-key";
import { AlarmRoutes, DashboardWidget, alarmRoutes, createAlarm, metricWidget } from "./internal/alarms";
import {
    MAX_AZS,
    SUBNET_TIERS,
    SubnetLayout,
    SubnetLayoutError,
    SubnetTier,
    defaultSubnetLayout,
    validateSubnetLayout,
} from "./subnets";

/** The NAT strategies {@link VpcArgs.natGateways} accepts. */
export const NAT_GATEWAY_STRATEGIES = ["none", "single", "perAz", "instance"] as const;
export type NatGatewayStrategy = (typeof NAT_GATEWAY_STRATEGIES)[number];

/**
 * The AWS services {@link VpcArgs.interfaceEndpoints} may name (the part of the endpoint service
 * name after the region: `com.amazonaws.<region>.<service>`): what a Fargate task, its agent and
 * ECS Exec reach. S3 needs none: the free gateway endpoint carries it (ECR's image layers too).
 */
export const INTERFACE_ENDPOINT_SERVICES = [
    "ecr.api",
    "ecr.dkr",
    "ecs",
    "ecs-agent",
    "ecs-telemetry",
    "logs",
    "monitoring",
    "secretsmanager",
    "ssm",
    "ssmmessages",
    "ec2messages",
    "kms",
    "sts",
    "sqs",
    "sns",
] as const;

/** The instance types a NAT instance may be: Graviton (arm64), which the Amazon Linux 2023 arm64 AMI needs. */
export const NAT_INSTANCE_TYPE = /^(t4g|c6gn|c7gn|c6g|c7g|m6g|m7g)\.[a-z0-9]+$/;

/**
 * The public SSM parameter naming the latest Amazon Linux 2023 AMI for arm64 (Graviton), published
 * by AWS in every commercial region.
 */
export const AL2023_ARM64_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

/**
 * User data that turns an Amazon Linux 2023 instance into a NAT: IP forwarding (kept across
 * reboots), and source NAT (MASQUERADE) of everything leaving by the default route's interface,
 * saved by iptables-services so it survives a reboot; the FORWARD chain is flushed because the
 * package's default rules reject forwarded packets. The steps of AWS's "Create a NAT AMI"
 * (https://docs.aws.amazon.com/vpc/latest/userguide/VPC_NAT_Instance.html#create-nat-ami), also
 * used by AWS CDK's NatInstanceProviderV2; `ip route` (iproute2) rather than `route`, which the
 * minimal net-tools may lack.
 */
export const NAT_INSTANCE_USER_DATA = [
    "#!/bin/bash",
    "set -euxo pipefail",
    "dnf install -y iptables-services",
    "systemctl enable --now iptables",
    'echo "net.ipv4.ip_forward=1" > /etc/sysctl.d/90-nat.conf',
    "sysctl -p /etc/sysctl.d/90-nat.conf",
    "iface=$(ip route show default | awk '{print $5; exit}')",
    'iptables -t nat -A POSTROUTING -o "$iface" -j MASQUERADE',
    "iptables -F FORWARD",
    // What `service iptables save` writes, without needing the `service` wrapper.
    "iptables-save > /etc/sysconfig/iptables",
    "",
].join("\n");

/**
 * The S3 gateway endpoint's service name, `<reverse DNS prefix>.<region>.s3`: `com.amazonaws.us-east-1.s3`,
 * but `cn.com.amazonaws.cn-north-1.s3` in China (the partition's `reverseDnsPrefix`).
 */
export function s3GatewayServiceName(reverseDnsPrefix: string, region: string): string {
    return `${reverseDnsPrefix}.${region}.s3`;
}

/** The tag Groundwork puts on every subnet to say its tier; the policy pack reads it. */
export const TIER_TAG = "tier";

export interface VpcArgs {
    /**
     * The VPC's IPv4 CIDR block (/16 to /28). Changing it replaces the VPC and everything in it.
     * @default "10.0.0.0/16"
     */
    cidrBlock?: string;
    /**
     * Availability zone names, in order; their count decides how many subnets of each tier exist.
     * @default the first `azCount` AZs the region reports as available
     */
    availabilityZones?: string[];
    /**
     * How many AZs to span when `availabilityZones` is not given. Two is the least a database
     * subnet group and a load balancer accept.
     * @default 2
     */
    azCount?: number;
    /**
     * Public subnet CIDRs (load balancer, NAT gateways), one per AZ.
     * @default 10.0.1.0/24, 10.0.2.0/24, … (the reference layout, scaled to `cidrBlock`)
     */
    publicSubnetCidrs?: string[];
    /**
     * Private (application) subnet CIDRs, one per AZ; they reach the internet through NAT.
     * @default 10.0.10.0/24, 10.0.20.0/24, …
     */
    privateSubnetCidrs?: string[];
    /**
     * Isolated (data) subnet CIDRs, one per AZ; no route leaves the VPC and a network ACL admits
     * only traffic from inside it.
     * @default 10.0.100.0/24, 10.0.110.0/24, …
     */
    isolatedSubnetCidrs?: string[];
    /**
     * NAT gateways: `perAz` (one per AZ; an AZ outage leaves the others' egress intact), `single`
     * (one for all AZs: cheaper, one AZ's failure cuts every private subnet's egress), `instance`
     * (one NAT instance, see `natInstanceType`, for all AZs instead of a gateway: no HA, its
     * bandwidth is the instance's, its OS is ours to patch, and `alarmTopicArn` gets a critical
     * alarm on its status checks) or `none` (private subnets have no internet egress). Cost: a
     * gateway ≈ $0.045/h × 730 h ≈ $33/month + $0.045/GB processed + its public IPv4 $3.65; the
     * instance (t4g.nano) ≈ $3.07 + 8 GB gp3 $0.64 + public IPv4 $3.65, no charge per GB.
     * @default "perAz"
     */
    natGateways?: string;
    /**
     * Instance type of the NAT instance (`natGateways: "instance"`): a Graviton type, as the AMI is
     * Amazon Linux 2023 for arm64. A t4g.nano forwards up to 5 Gbps in bursts, ≈ 32 Mbps
     * sustained; a larger type raises both. Changing it stops and starts the instance (a short
     * egress outage).
     * @default "t4g.nano"
     */
    natInstanceType?: string;
    /**
     * Interface endpoints (AWS PrivateLink) for these services (see INTERFACE_ENDPOINT_SERVICES,
     * e.g. `ecr.api`, `ecr.dkr`, `logs`, `secretsmanager`), in the private subnets, with private
     * DNS, behind a security group that admits HTTPS from the VPC only: calls to them stop going
     * through NAT. Cost: $0.01/h per AZ ≈ $7.30/month per AZ + $0.01/GB, against NAT's
     * $0.045/GB: one endpoint in two AZs pays for itself above ≈ 417 GB/month of its traffic.
     * @default [] (none)
     */
    interfaceEndpoints?: string[];
    /**
     * Retention of the flow-log group, in days (a CloudWatch Logs retention period).
     * @default 365
     */
    flowLogRetentionDays?: number;
    /**
     * Which traffic flow logs record: `ALL`, `ACCEPT` or `REJECT`.
     * @default "ALL"
     */
    flowLogTrafficType?: string;
    /**
     * Add an S3 gateway endpoint to the private route tables. Free, and it keeps image layers
     * and uploads off the NAT gateways (whose data processing is billed per GB).
     * @default true
     */
    s3GatewayEndpoint?: boolean;
    /**
     * Encrypt the flow-log group with a customer-managed KMS key of its own (rotating, its
     * policy granting CloudWatch Logs for this log group only). Cost: $1/month.
     * @default true
     */
    encryptFlowLogs?: boolean;
    /**
     * Protect the flow-log key (`protect` and `retainOnDelete`): deleting it makes the recorded
     * flow logs unreadable. The VPC itself holds no data and is never protected.
     * @default false
     */
    protect?: boolean;
    /**
     * ARN of the SNS topic for the VPC's alarms (NAT port allocation errors and dropped
     * packets). No alarms are created when absent.
     * @default undefined
     */
    alarmTopicArn?: pulumi.Input<string>;
    /**
     * SNS topic of the critical alarms (they page someone); `alarmTopicArn` then carries
     * the warnings only. Monitoring's `criticalAlarmTopicArn`.
     * @default alarmTopicArn (one route for both severities)
     */
    criticalAlarmTopicArn?: pulumi.Input<string>;
    /**
     * NAT gateway dropped packets per 5 minutes above which the warning alarm fires.
     * @default 100
     */
    natPacketsDropThreshold?: number;
    /**
     * A permissions boundary for the IAM roles this component creates: a deploy role that may only
     * create roles carrying a boundary (see `GithubDeployRoles`) can then manage this stack.
     * Adding or changing it updates the role in place.
     * @default undefined (no boundary)
     */
    permissionsBoundaryArn?: pulumi.Input<string>;
}

/** Subnet IDs per tier, in the order of `availabilityZones`. */
export interface VpcSubnetIds {
    public: pulumi.Output<string>[];
    private: pulumi.Output<string>[];
    isolated: pulumi.Output<string>[];
}

/** The subnets of a {@link Vpc} per tier, in the order of `availabilityZones`. */
export interface VpcSubnetNodes {
    public: ec2.Subnet[];
    private: ec2.Subnet[];
    isolated: ec2.Subnet[];
}

/** The route tables of a {@link Vpc}: one public, one private per AZ, one isolated. */
export interface VpcRouteTableNodes {
    public: ec2.RouteTable;
    private: ec2.RouteTable[];
    isolated: ec2.RouteTable;
}

/** The raw children of a {@link Vpc}. An interface, so that the component package's schema can carry it. */
export interface VpcNodes {
    vpc: ec2.Vpc;
    internetGateway: ec2.InternetGateway;
    subnets: VpcSubnetNodes;
    routeTables: VpcRouteTableNodes;
    natGateways: ec2.NatGateway[];
    natInstance?: NatInstanceNodes;
    s3Endpoint?: ec2.VpcEndpoint;
    interfaceEndpoints: Record<string, ec2.VpcEndpoint>;
    /** The security group of the interface endpoints (HTTPS from the VPC), when there are any. */
    endpointSecurityGroup?: ec2.SecurityGroup;
    flowLog: ec2.FlowLog;
    flowLogGroup: cloudwatch.LogGroup;
    flowLogKey?: KmsKey;
    defaultSecurityGroup: ec2.DefaultSecurityGroup;
    isolatedNetworkAcl: ec2.NetworkAcl;
    alarms: cloudwatch.MetricAlarm[];
}

/**
 * A three-tier VPC: in each availability zone a public, a private (application) and an
 * isolated (data) subnet; an internet gateway; NAT gateways per AZ, one, a NAT instance, or none;
 * interface endpoints when asked for; route tables
 * per tier where the isolated tier has no route out of the VPC; an S3 gateway endpoint; flow
 * logs to CloudWatch Logs; the default security group stripped of all rules; and a network ACL
 * on the isolated subnets that admits only traffic from inside the VPC.
 *
 * The subnet layout is computed from plain values before anything is declared, so `pulumi
 * preview`, tests and the policy pack see every subnet.
 *
 * ```ts
 * const vpc = new Vpc("network", { natGateways: "single", alarmTopicArn: monitoring.alarmTopicArn });
 * export const privateSubnets = vpc.privateSubnetIds;
 * // Args typed `pulumi.Input<string>[]` take a tier's list as it is (its length is a plain value):
 * const db = new Database("database", { vpcId: vpc.vpcId, subnetIds: vpc.subnetIds.isolated, ... });
 * ```
 *
 * **Cost**: the VPC, subnets, route tables, internet gateway and S3 endpoint are free; each NAT
 * gateway ≈ $33/month + $0.045/GB + $3.65 for its public IPv4; a NAT instance (t4g.nano) ≈ $7.36
 * with its disk and public IPv4, no charge per GB; each interface endpoint ≈ $7.30/month per AZ +
 * $0.01/GB; flow logs ≈ $0.50/GB ingested + storage; each alarm $0.10/month.
 *
 * A NAT instance (`natGateways: "instance"`, for dev) has no key pair and no SSH: operators reach
 * it through Session Manager (its role has AmazonSSMManagedInstanceCore). IMDSv2 only, encrypted
 * root volume, EC2's simplified automatic recovery, and a status-check alarm. Its AMI is looked up
 * once and then ignored (`ignoreChanges: ["ami"]`): every Amazon Linux release would otherwise
 * replace it, cutting egress, on an unrelated `pulumi up`; `pulumi up --replace <urn>` moves it
 * to the latest AMI when wanted.
 */
export class Vpc extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly cidr: pulumi.Output<string>;
    readonly availabilityZones: pulumi.Output<string[]>;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    readonly isolatedSubnetIds: pulumi.Output<string[]>;
    readonly natGatewayIds: pulumi.Output<string[]>;
    /** The NAT instance's ID (`natGateways: "instance"`), else empty. */
    readonly natInstanceIds: pulumi.Output<string[]>;
    /** Interface endpoint IDs by service (`ecr.api` → `vpce-…`), one per `interfaceEndpoints` entry. */
    readonly interfaceEndpointIds: Record<string, pulumi.Output<string>>;
    /**
     * Subnet IDs per tier, one per AZ in AZ order: a plain array (its length is known before
     * deployment) of Outputs, ready for args typed `pulumi.Input<string>[]` such as a database's
     * `subnetIds`.
     */
    readonly subnetIds: VpcSubnetIds;
    /** The subnet CIDRs per tier, as plain values (known before deployment). */
    readonly layout: SubnetLayout;
    /** Widgets for the stack dashboard (NAT traffic and errors). */
    readonly dashboardWidgets: DashboardWidget[];
    /** The raw children, for advanced use. */
    readonly nodes: VpcNodes;

    private readonly name: string;

    constructor(name: string, args: VpcArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:Vpc", name, {}, opts);
        this.name = name;
        const cfg = normalizeVpcArgs(name, args);
        this.layout = cfg.layout;

        const vpc = this.createVpc(cfg.cidrBlock);
        const azNames = this.resolveAzNames(cfg.availabilityZones, cfg.azCount);
        const subnets = this.createSubnets(vpc, azNames, cfg.layout);
        const internetGateway = new ec2.InternetGateway(
            `${name}-igw`,
            { vpcId: vpc.id, tags: { Name: `${name}-igw` } },
            { parent: this },
        );
        const natGateways = this.createNatGateways(cfg.natGateways, subnets.public, internetGateway);
        const publicRouting = this.createPublicRouting(vpc, subnets.public, internetGateway);
        const natInstance =
            cfg.natGateways === "instance"
                ? this.createNatInstance(vpc, cfg, subnets.public[0], publicRouting.ready)
                : undefined;
        const routeTables = this.createRouteTables(
            vpc,
            subnets,
            publicRouting.table,
            natGateways,
            natInstance?.instance,
        );
        const s3Endpoint = cfg.s3GatewayEndpoint ? this.createS3Endpoint(vpc, routeTables.private) : undefined;
        const endpoints = this.createInterfaceEndpoints(vpc, cfg, subnets.private);
        const { flowLog, flowLogGroup, flowLogKey } = this.createFlowLogs(vpc, cfg);
        const defaultSecurityGroup = this.lockDefaultSecurityGroup(vpc);
        const isolatedNetworkAcl = this.createIsolatedAcl(vpc, cfg.cidrBlock, subnets.isolated);
        const alarms = cfg.alarmRoutes
            ? this.createNatAlarms(natGateways, cfg.alarmRoutes, cfg.natPacketsDropThreshold)
            : [];
        if (cfg.alarmRoutes && natInstance) {
            alarms.push(this.createNatInstanceAlarm(natInstance.instance, cfg.alarmRoutes));
        }

        this.vpcId = vpc.id;
        this.cidr = vpc.cidrBlock;
        this.availabilityZones = pulumi.output(azNames);
        this.subnetIds = {
            public: subnets.public.map((s) => s.id),
            private: subnets.private.map((s) => s.id),
            isolated: subnets.isolated.map((s) => s.id),
        };
        this.publicSubnetIds = pulumi.output(subnets.public.map((s) => s.id));
        this.privateSubnetIds = pulumi.output(subnets.private.map((s) => s.id));
        this.isolatedSubnetIds = pulumi.output(subnets.isolated.map((s) => s.id));
        this.natGatewayIds = pulumi.output(natGateways.map((n) => n.id));
        this.natInstanceIds = pulumi.output(natInstance ? [natInstance.instance.id] : []);
        this.interfaceEndpointIds = Object.fromEntries(
            Object.entries(endpoints.endpoints).map(([service, endpoint]) => [service, endpoint.id]),
        );
        this.dashboardWidgets = [
            ...(natGateways.length > 0 ? this.natWidgets(natGateways) : []),
            ...(natInstance ? this.natInstanceWidgets(natInstance.instance) : []),
        ];
        this.nodes = {
            vpc,
            internetGateway,
            subnets,
            routeTables,
            natGateways,
            natInstance,
            s3Endpoint,
            interfaceEndpoints: endpoints.endpoints,
            endpointSecurityGroup: endpoints.securityGroup,
            flowLog,
            flowLogGroup,
            flowLogKey,
            defaultSecurityGroup,
            isolatedNetworkAcl,
            alarms,
        };
        this.registerOutputs({
            vpcId: this.vpcId,
            cidr: this.cidr,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            isolatedSubnetIds: this.isolatedSubnetIds,
            natGatewayIds: this.natGatewayIds,
            natInstanceIds: this.natInstanceIds,
            interfaceEndpointIds: this.interfaceEndpointIds,
        });
    }

    private createVpc(cidrBlock: string): ec2.Vpc {
        return new ec2.Vpc(
            this.name,
            {
                cidrBlock,
                enableDnsSupport: true,
                enableDnsHostnames: true,
                tags: { Name: this.name },
            },
            { parent: this },
        );
    }

    /** No ingress and no egress: anything launched without a security group reaches nothing. */
    private lockDefaultSecurityGroup(vpc: ec2.Vpc): ec2.DefaultSecurityGroup {
        return new ec2.DefaultSecurityGroup(
            `${this.name}-default-sg`,
            { vpcId: vpc.id, ingress: [], egress: [], tags: { Name: `${this.name}-default-locked` } },
            { parent: this },
        );
    }

    /** Explicit names as given; otherwise the i-th available AZ (the count stays a plain value). */
    private resolveAzNames(explicit: string[] | undefined, azCount: number): pulumi.Input<string>[] {
        if (explicit) {
            return explicit;
        }
        const available = getAvailabilityZonesOutput({ state: "available" }, { parent: this });
        return [...Array(azCount).keys()].map((i) =>
            available.names.apply((names) => {
                if (names.length <= i) {
                    throw new Error(
                        `Vpc "${this.name}": the region has ${names.length} available AZ(s), ${azCount} were asked for`,
                    );
                }
                return names[i];
            }),
        );
    }

    private createSubnets(
        vpc: ec2.Vpc,
        azNames: pulumi.Input<string>[],
        layout: SubnetLayout,
    ): Record<SubnetTier, ec2.Subnet[]> {
        const subnets = {} as Record<SubnetTier, ec2.Subnet[]>;
        for (const tier of SUBNET_TIERS) {
            subnets[tier] = layout[tier].map((cidrBlock, i) => {
                const subnetName = `${this.name}-${tier}-${i + 1}`;
                return new ec2.Subnet(
                    subnetName,
                    {
                        vpcId: vpc.id,
                        cidrBlock,
                        availabilityZone: azNames[i],
                        // Nothing gets a public IP by accident, not even in the public tier: the
                        // load balancer and NAT gateways bring their own addresses.
                        mapPublicIpOnLaunch: false,
                        tags: { Name: subnetName, [TIER_TAG]: tier },
                    },
                    { parent: this },
                );
            });
        }
        return subnets;
    }

    private createNatGateways(
        strategy: string,
        publicSubnets: ec2.Subnet[],
        igw: ec2.InternetGateway,
    ): ec2.NatGateway[] {
        const count = strategy === "perAz" ? publicSubnets.length : strategy === "single" ? 1 : 0;
        return publicSubnets.slice(0, count).map((subnet, i) => {
            const natName = `${this.name}-nat-${i + 1}`;
            const eip = new ec2.Eip(
                `${natName}-eip`,
                { domain: "vpc", tags: { Name: `${natName}-eip` } },
                { parent: this },
            );
            return new ec2.NatGateway(
                natName,
                { allocationId: eip.id, subnetId: subnet.id, connectivityType: "public", tags: { Name: natName } },
                // A NAT gateway only forwards once the VPC has an internet gateway.
                { parent: this, dependsOn: [igw] },
            );
        });
    }

    private routeTable(vpc: ec2.Vpc, tableName: string, tier: SubnetTier): ec2.RouteTable {
        return new ec2.RouteTable(
            tableName,
            { vpcId: vpc.id, tags: { Name: tableName, [TIER_TAG]: tier } },
            { parent: this },
        );
    }

    private associate(tableName: string, routeTable: ec2.RouteTable, subnet: ec2.Subnet): ec2.RouteTableAssociation {
        return new ec2.RouteTableAssociation(
            tableName,
            { routeTableId: routeTable.id, subnetId: subnet.id },
            { parent: this },
        );
    }

    /**
     * The public table, its route to the internet gateway and its associations. Created before the
     * NAT instance, which must wait for them (`ready`): its boot script installs packages once,
     * at first boot, and fails for good without a way out.
     */
    private createPublicRouting(
        vpc: ec2.Vpc,
        publicSubnets: ec2.Subnet[],
        igw: ec2.InternetGateway,
    ): { table: ec2.RouteTable; ready: pulumi.Resource[] } {
        const table = this.routeTable(vpc, `${this.name}-public`, "public");
        const route = new ec2.Route(
            `${this.name}-public-internet`,
            { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
            { parent: this },
        );
        const associations = publicSubnets.map((subnet, i) =>
            this.associate(`${this.name}-public-${i + 1}`, table, subnet),
        );
        return { table, ready: [igw, route, ...associations] };
    }

    private createRouteTables(
        vpc: ec2.Vpc,
        subnets: Record<SubnetTier, ec2.Subnet[]>,
        publicTable: ec2.RouteTable,
        natGateways: ec2.NatGateway[],
        natInstance: ec2.Instance | undefined,
    ): { public: ec2.RouteTable; private: ec2.RouteTable[]; isolated: ec2.RouteTable } {
        // One private table per AZ, so each AZ egresses through its own NAT gateway when there
        // is one per AZ, and the layout does not change shape when the NAT strategy does.
        const privateTables = subnets.private.map((subnet, i) => {
            const routeTable = this.routeTable(vpc, `${this.name}-private-${i + 1}`, "private");
            const nat = natGateways.length > 0 ? natGateways[Math.min(i, natGateways.length - 1)] : undefined;
            if (nat) {
                new ec2.Route(
                    `${this.name}-private-${i + 1}-egress`,
                    { routeTableId: routeTable.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id },
                    { parent: this },
                );
            } else if (natInstance) {
                // To the instance's primary network interface, not its ID: the route then names the
                // one thing that forwards (an `instanceId` route resolves to it anyway).
                new ec2.Route(
                    `${this.name}-private-${i + 1}-egress`,
                    {
                        routeTableId: routeTable.id,
                        destinationCidrBlock: "0.0.0.0/0",
                        networkInterfaceId: natInstance.primaryNetworkInterfaceId,
                    },
                    { parent: this },
                );
            }
            this.associate(`${this.name}-private-${i + 1}`, routeTable, subnet);
            return routeTable;
        });

        // The isolated table holds only the implicit local route: nothing leaves the VPC.
        const isolatedTable = this.routeTable(vpc, `${this.name}-isolated`, "isolated");
        subnets.isolated.forEach((subnet, i) =>
            this.associate(`${this.name}-isolated-${i + 1}`, isolatedTable, subnet),
        );

        return { public: publicTable, private: privateTables, isolated: isolatedTable };
    }

    /**
     * One NAT instance in the first public subnet, for every AZ's private subnets. Its group
     * forwards HTTPS only, from the VPC's CIDR only: what the stack sends out (the application
     * group's and the cluster instances' only egress is HTTPS; DNS, time and instance metadata use
     * link-local addresses that never reach a NAT). Another port needs a rule on
     * `nodes.natInstance.securityGroup`; a NAT gateway would forward it unasked.
     */
    private createNatInstance(
        vpc: ec2.Vpc,
        cfg: NormalizedVpcArgs,
        publicSubnet: ec2.Subnet,
        publicRouting: pulumi.Resource[],
    ): NatInstanceNodes {
        const natName = `${this.name}-nat-instance`;
        const securityGroup = new ec2.SecurityGroup(
            natName,
            {
                vpcId: vpc.id,
                // No inline rules: the provider then removes the allow-all egress AWS adds to a new group.
                description: `NAT instance of ${this.name}: forwards HTTPS from the VPC`,
                tags: { Name: natName },
            },
            { parent: this },
        );
        const fromVpc = new awsvpc.SecurityGroupIngressRule(
            `${natName}-https-from-vpc`,
            {
                securityGroupId: securityGroup.id,
                description: "HTTPS the private subnets send out, from the VPC's own CIDR only",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: cfg.cidrBlock,
            },
            { parent: this },
        );
        const toInternet = new awsvpc.SecurityGroupEgressRule(
            `${natName}-https-out`,
            {
                securityGroupId: securityGroup.id,
                description: "Forwarded HTTPS, and the instance's own package updates and SSM agent",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: "0.0.0.0/0",
            },
            { parent: this },
        );
        const partition = getPartitionOutput({}, { parent: this }).partition;
        const role = new iam.Role(
            natName,
            {
                description: `NAT instance of ${this.name}: Session Manager access instead of SSH`,
                path: stackIamPath(),
                permissionsBoundary: cfg.permissionsBoundaryArn,
                assumeRolePolicy: policyDocument({
                    Version: "2012-10-17",
                    Statement: [
                        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
                    ],
                }),
            },
            { parent: this },
        );
        // AWS's managed policy for the SSM agent (Session Manager, Run Command, patching): the
        // agent's own channels, nothing on other resources.
        const ssmCore = new iam.RolePolicyAttachment(
            `${natName}-ssm`,
            {
                role: role.name,
                policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
            },
            { parent: this },
        );
        const instanceProfile = new iam.InstanceProfile(
            natName,
            { role: role.name, path: stackIamPath() },
            { parent: this },
        );
        const ami = getParameterOutput({ name: AL2023_ARM64_AMI_PARAMETER }, { parent: this }).insecureValue;
        const instance = new ec2.Instance(
            natName,
            {
                ami,
                instanceType: cfg.natInstanceType,
                subnetId: publicSubnet.id,
                // Its own public IPv4 (billed like an Elastic IP) to reach the internet gateway; the
                // subnet maps none by default.
                associatePublicIpAddress: true,
                // A NAT forwards packets neither from nor to itself.
                sourceDestCheck: false,
                vpcSecurityGroupIds: [securityGroup.id],
                iamInstanceProfile: instanceProfile.name,
                metadataOptions: {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: 1,
                    instanceMetadataTags: "disabled",
                },
                rootBlockDevice: {
                    volumeType: "gp3",
                    // The size of the Amazon Linux 2023 AMI's snapshot, the least EC2 accepts.
                    volumeSize: 8,
                    // The account's EBS key (aws/ebs), as the cluster's instances use.
                    encrypted: true,
                    deleteOnTermination: true,
                    tags: { Name: natName },
                },
                // EC2 moves the instance to healthy hardware when its system status check fails.
                maintenanceOptions: { autoRecovery: "default" },
                userData: NAT_INSTANCE_USER_DATA,
                // User data runs at first boot only: a changed script needs a new instance.
                userDataReplaceOnChange: true,
                tags: { Name: natName },
            },
            // `resolve:ssm:` as the AMI would replace the instance on every update
            // (hashicorp/terraform-provider-aws#43364); a looked-up ID changes with every Amazon
            // Linux release, so it is taken at creation and then left alone.
            { parent: this, dependsOn: [...publicRouting, ssmCore], ignoreChanges: ["ami"] },
        );
        return { instance, securityGroup, fromVpc, toInternet, role, ssmCore, instanceProfile };
    }

    /**
     * Interface endpoints in every private subnet, with private DNS (the VPC has DNS support and
     * hostnames on), so the services' usual names resolve to them. Their group admits HTTPS from
     * the VPC only and has no egress: an endpoint never opens a connection.
     */
    private createInterfaceEndpoints(
        vpc: ec2.Vpc,
        cfg: NormalizedVpcArgs,
        privateSubnets: ec2.Subnet[],
    ): { endpoints: Record<string, ec2.VpcEndpoint>; securityGroup?: ec2.SecurityGroup } {
        if (cfg.interfaceEndpoints.length === 0) {
            return { endpoints: {} };
        }
        const sgName = `${this.name}-endpoints`;
        const securityGroup = new ec2.SecurityGroup(
            sgName,
            {
                vpcId: vpc.id,
                description: `Interface endpoints of ${this.name}: HTTPS from the VPC`,
                tags: { Name: sgName },
            },
            { parent: this },
        );
        new awsvpc.SecurityGroupIngressRule(
            `${sgName}-https`,
            {
                securityGroupId: securityGroup.id,
                description: "HTTPS to the AWS APIs, from the VPC's own CIDR only",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: cfg.cidrBlock,
            },
            { parent: this },
        );
        const region = getRegionOutput({}, { parent: this }).region;
        const reverseDnsPrefix = getPartitionOutput({}, { parent: this }).reverseDnsPrefix;
        const endpoints: Record<string, ec2.VpcEndpoint> = {};
        for (const service of cfg.interfaceEndpoints) {
            const endpointName = `${this.name}-${service.replace(/\./g, "-")}`;
            endpoints[service] = new ec2.VpcEndpoint(
                endpointName,
                {
                    vpcId: vpc.id,
                    serviceName: pulumi.interpolate`${reverseDnsPrefix}.${region}.${service}`,
                    vpcEndpointType: "Interface",
                    subnetIds: privateSubnets.map((subnet) => subnet.id),
                    securityGroupIds: [securityGroup.id],
                    privateDnsEnabled: true,
                    tags: { Name: endpointName },
                },
                { parent: this },
            );
        }
        return { endpoints, securityGroup };
    }

    private createS3Endpoint(vpc: ec2.Vpc, privateTables: ec2.RouteTable[]): ec2.VpcEndpoint {
        const region = getRegionOutput({}, { parent: this }).region;
        const reverseDnsPrefix = getPartitionOutput({}, { parent: this }).reverseDnsPrefix;
        return new ec2.VpcEndpoint(
            `${this.name}-s3`,
            {
                vpcId: vpc.id,
                serviceName: pulumi
                    .all([reverseDnsPrefix, region])
                    .apply(([prefix, r]) => s3GatewayServiceName(prefix, r)),
                vpcEndpointType: "Gateway",
                routeTableIds: privateTables.map((t) => t.id),
                tags: { Name: `${this.name}-s3` },
            },
            { parent: this },
        );
    }

    private createFlowLogs(
        vpc: ec2.Vpc,
        cfg: NormalizedVpcArgs,
    ): { flowLog: ec2.FlowLog; flowLogGroup: cloudwatch.LogGroup; flowLogKey?: KmsKey } {
        const account = getCallerIdentityOutput({}, { parent: this }).accountId;
        // A fixed, stack-scoped name: the key policy's grant to CloudWatch Logs names the group,
        // so the name must be known before either exists.
        const logGroupName = `/groundwork/vpc-flow-logs/${stackScopedName(this.name, 200)}`;
        const flowLogKey = cfg.encryptFlowLogs
            ? createKmsKey(
                  `${this.name}-flow-logs-key`,
                  {
                      description: `Encrypts the VPC flow logs of ${this.name}`,
                      cloudWatchLogGroupNames: [logGroupName],
                      protect: cfg.protect,
                  },
                  this,
              )
            : undefined;
        const flowLogGroup = new cloudwatch.LogGroup(
            `${this.name}-flow-logs`,
            { name: logGroupName, retentionInDays: cfg.flowLogRetentionDays, kmsKeyId: flowLogKey?.key.arn },
            { parent: this },
        );
        const role = new iam.Role(
            `${this.name}-flow-logs`,
            {
                description: `Lets VPC flow logs of ${this.name} write to CloudWatch Logs`,
                // Under the stack's path, where a bounded deploy role may manage it (see stackIamPath).
                path: stackIamPath(),
                permissionsBoundary: cfg.permissionsBoundaryArn,
                assumeRolePolicy: policyDocument({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            // The same name in every partition, China included: only a few services
                            // (logs, codedeploy, elasticmapreduce) take the partition's DNS suffix there.
                            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            // Confused-deputy guard: only flow logs of this account may assume it.
                            Condition: { StringEquals: { "aws:SourceAccount": account } },
                        },
                    ],
                }),
            },
            { parent: this },
        );
        const rolePolicy = new iam.RolePolicy(
            `${this.name}-flow-logs`,
            {
                role: role.id,
                policy: policyDocument({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                            Resource: [flowLogGroup.arn, pulumi.interpolate`${flowLogGroup.arn}:*`],
                        },
                    ],
                }),
            },
            { parent: this },
        );
        const flowLog = new ec2.FlowLog(
            `${this.name}-flow-log`,
            {
                vpcId: vpc.id,
                trafficType: cfg.flowLogTrafficType,
                logDestinationType: "cloud-watch-logs",
                logDestination: flowLogGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 600,
                tags: { Name: `${this.name}-flow-log` },
            },
            // The flow log references only the role; created before the role's policy exists, its
            // delivery fails with "Access error" (DescribeFlowLogs DeliverLogsErrorMessage: the
            // role lacks permission to publish to CloudWatch Logs).
            { parent: this, dependsOn: [rolePolicy] },
        );
        return { flowLog, flowLogGroup, flowLogKey };
    }

    /**
     * The isolated tier admits traffic only from inside the VPC and answers only into it: a
     * second wall behind the data stores' security groups. Ephemeral return ports are covered
     * because the rules allow all protocols within the VPC CIDR.
     */
    private createIsolatedAcl(vpc: ec2.Vpc, cidrBlock: string, isolatedSubnets: ec2.Subnet[]): ec2.NetworkAcl {
        const withinVpc = { protocol: "-1", ruleNo: 100, action: "allow", cidrBlock, fromPort: 0, toPort: 0 };
        return new ec2.NetworkAcl(
            `${this.name}-isolated`,
            {
                vpcId: vpc.id,
                subnetIds: isolatedSubnets.map((s) => s.id),
                ingress: [withinVpc],
                egress: [withinVpc],
                tags: { Name: `${this.name}-isolated`, [TIER_TAG]: "isolated" },
            },
            { parent: this },
        );
    }

    private createNatAlarms(
        natGateways: ec2.NatGateway[],
        routes: AlarmRoutes,
        dropThreshold: number,
    ): cloudwatch.MetricAlarm[] {
        return natGateways.flatMap((nat, i) => [
            createAlarm(
                `${this.name}-nat-${i + 1}-port-allocation`,
                {
                    description: `NAT gateway ${i + 1} of ${this.name} cannot allocate source ports: connections from private subnets fail. Spread traffic over more destinations or add NAT gateways.`,
                    severity: "critical",
                    namespace: "AWS/NATGateway",
                    metricName: "ErrorPortAllocation",
                    dimensions: { NatGatewayId: nat.id },
                    statistic: "Sum",
                    period: 300,
                    threshold: 0,
                    comparisonOperator: "GreaterThanThreshold",
                },
                routes,
                { parent: this },
            ),
            createAlarm(
                `${this.name}-nat-${i + 1}-packets-dropped`,
                {
                    description: `NAT gateway ${i + 1} of ${this.name} drops packets: egress from private subnets is degraded. Check the gateway's health and bandwidth.`,
                    severity: "warning",
                    namespace: "AWS/NATGateway",
                    metricName: "PacketsDropCount",
                    dimensions: { NatGatewayId: nat.id },
                    statistic: "Sum",
                    period: 300,
                    evaluationPeriods: 3,
                    datapointsToAlarm: 2,
                    threshold: dropThreshold,
                    comparisonOperator: "GreaterThanThreshold",
                },
                routes,
                { parent: this },
            ),
        ]);
    }

    /** The NAT instance is every private subnet's way out: a failed status check is an outage. */
    private createNatInstanceAlarm(instance: ec2.Instance, routes: AlarmRoutes): cloudwatch.MetricAlarm {
        return createAlarm(
            `${this.name}-nat-instance-status`,
            {
                description: `The NAT instance of ${this.name} fails its status checks: private subnets may have no internet egress. EC2 recovers it from a host failure by itself; for an instance check failure reboot it (Session Manager or the console).`,
                severity: "critical",
                namespace: "AWS/EC2",
                metricName: "StatusCheckFailed",
                dimensions: { InstanceId: instance.id },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 3,
                datapointsToAlarm: 2,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
                // A stopped or terminated instance publishes no status checks: silence is the outage.
                treatMissingData: "breaching",
            },
            routes,
            { parent: this },
        );
    }

    private natInstanceWidgets(instance: ec2.Instance): DashboardWidget[] {
        const row = (metric: string) => ["AWS/EC2", metric, "InstanceId", instance.id];
        return [
            metricWidget(`${this.name}: NAT instance traffic`, [row("NetworkIn"), row("NetworkOut")], { stat: "Sum" }),
            metricWidget(
                `${this.name}: NAT instance status checks`,
                [row("StatusCheckFailed"), row("CPUUtilization")],
                {
                    stat: "Maximum",
                },
            ),
        ];
    }

    private natWidgets(natGateways: ec2.NatGateway[]): DashboardWidget[] {
        const rows = (metric: string) => natGateways.map((nat) => ["AWS/NATGateway", metric, "NatGatewayId", nat.id]);
        return [
            metricWidget(`${this.name}: NAT bytes out`, rows("BytesOutToDestination"), { stat: "Sum" }),
            metricWidget(
                `${this.name}: NAT errors and drops`,
                [...rows("ErrorPortAllocation"), ...rows("PacketsDropCount")],
                { stat: "Sum" },
            ),
        ];
    }
}

/** The children of a NAT instance (`natGateways: "instance"`). */
export interface NatInstanceNodes {
    instance: ec2.Instance;
    securityGroup: ec2.SecurityGroup;
    fromVpc: awsvpc.SecurityGroupIngressRule;
    toInternet: awsvpc.SecurityGroupEgressRule;
    role: iam.Role;
    ssmCore: iam.RolePolicyAttachment;
    instanceProfile: iam.InstanceProfile;
}

interface NormalizedVpcArgs {
    cidrBlock: string;
    availabilityZones?: string[];
    azCount: number;
    layout: SubnetLayout;
    natGateways: string;
    natInstanceType: string;
    interfaceEndpoints: string[];
    flowLogRetentionDays: number;
    flowLogTrafficType: string;
    s3GatewayEndpoint: boolean;
    encryptFlowLogs: boolean;
    natPacketsDropThreshold: number;
    alarmRoutes?: AlarmRoutes;
    permissionsBoundaryArn?: pulumi.Input<string>;
    protect: boolean;
}

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeVpcArgs(name: string, args: VpcArgs): NormalizedVpcArgs {
    const cidrBlock = args.cidrBlock ?? "10.0.0.0/16";
    if (args.availabilityZones && args.azCount !== undefined && args.availabilityZones.length !== args.azCount) {
        throw new ComponentArgError(
            "Vpc",
            name,
            "azCount",
            `is ${args.azCount} but availabilityZones lists ${args.availabilityZones.length}`,
        );
    }
    const azCount = requireInt("Vpc", name, "azCount", args.availabilityZones?.length ?? args.azCount ?? 2, 1, MAX_AZS);
    const explicit = args.publicSubnetCidrs ?? args.privateSubnetCidrs ?? args.isolatedSubnetCidrs;
    let layout: SubnetLayout;
    try {
        layout = explicit
            ? {
                  public: args.publicSubnetCidrs ?? [],
                  private: args.privateSubnetCidrs ?? [],
                  isolated: args.isolatedSubnetCidrs ?? [],
              }
            : defaultSubnetLayout(cidrBlock, azCount);
        validateSubnetLayout(cidrBlock, azCount, layout);
    } catch (err) {
        if (err instanceof SubnetLayoutError) {
            const arg = err.field
                .replace(/^subnets\.(\w+)/, (_, tier: string) => `${tier}SubnetCidrs`)
                .replace(/^vpcCidr$/, "cidrBlock");
            throw new ComponentArgError("Vpc", name, arg, err.message);
        }
        throw err;
    }
    if (args.criticalAlarmTopicArn !== undefined && args.alarmTopicArn === undefined) {
        throw new ComponentArgError(
            "Vpc",
            name,
            "criticalAlarmTopicArn",
            "is set without alarmTopicArn; the warnings need a route too (set alarmTopicArn, or neither for no alarms)",
        );
    }
    const natGateways = requireOneOf("Vpc", name, "natGateways", args.natGateways ?? "perAz", NAT_GATEWAY_STRATEGIES);
    const natInstanceType = args.natInstanceType ?? "t4g.nano";
    if (!NAT_INSTANCE_TYPE.test(natInstanceType)) {
        throw new ComponentArgError(
            "Vpc",
            name,
            "natInstanceType",
            `${JSON.stringify(natInstanceType)} is not a Graviton (arm64) instance type such as t4g.nano; the NAT instance runs the arm64 Amazon Linux 2023 AMI`,
        );
    }
    const interfaceEndpoints = args.interfaceEndpoints ?? [];
    interfaceEndpoints.forEach((service, i) => {
        if (!(INTERFACE_ENDPOINT_SERVICES as readonly string[]).includes(service)) {
            throw new ComponentArgError(
                "Vpc",
                name,
                `interfaceEndpoints[${i}]`,
                `${JSON.stringify(service)} is not a known endpoint service; use one of ${INTERFACE_ENDPOINT_SERVICES.join(", ")}`,
            );
        }
        if (interfaceEndpoints.indexOf(service) !== i) {
            throw new ComponentArgError("Vpc", name, `interfaceEndpoints[${i}]`, `${service} is listed twice`);
        }
    });
    const flowLogTrafficType = requireOneOf("Vpc", name, "flowLogTrafficType", args.flowLogTrafficType ?? "ALL", [
        "ALL",
        "ACCEPT",
        "REJECT",
    ]);
    return {
        cidrBlock,
        availabilityZones: args.availabilityZones,
        azCount,
        layout,
        natGateways,
        natInstanceType,
        interfaceEndpoints,
        flowLogRetentionDays: args.flowLogRetentionDays ?? 365,
        flowLogTrafficType,
        s3GatewayEndpoint: args.s3GatewayEndpoint ?? true,
        encryptFlowLogs: args.encryptFlowLogs ?? true,
        natPacketsDropThreshold: args.natPacketsDropThreshold ?? 100,
        alarmRoutes: args.alarmTopicArn ? alarmRoutes(args.alarmTopicArn, args.criticalAlarmTopicArn) : undefined,
        permissionsBoundaryArn: args.permissionsBoundaryArn,
        protect: args.protect ?? false,
    };
}
