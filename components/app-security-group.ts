import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";

/**
 * The tag that says what a security group guards (`app`, `database`, `cache`, `public-alb`); the
 * policy pack reads it (e.g. only `public-alb` may open 80/443 to the world).
 */
export const ROLE_TAG = "groundwork:role";

export interface AppSecurityGroupArgs {
    /** The VPC the application tier runs in. Changing it replaces the security group. */
    vpcId: pulumi.Input<string>;
    /**
     * Allow HTTPS (443) egress to 0.0.0.0/0: AWS APIs (Secrets Manager, S3, SQS, Cognito) and
     * third-party APIs, through the NAT gateways. Data-store ports are opened by the data
     * components themselves, to their security groups only.
     * @default true
     */
    httpsEgress?: boolean;
}

/**
 * The application tier's security group, for the Fargate services: no ingress of its own (the
 * load balancer's component adds a rule from its group), egress only on 443 to the internet, plus
 * the egress rules each data store adds for its port (see {@link createDataStoreSecurityGroup}).
 * Every rule is a separate `aws.vpc.SecurityGroupIngressRule`/`SecurityGroupEgressRule`, so other
 * components can add theirs without fighting over an inline rule list. The group is tagged
 * `groundwork:role=app`.
 *
 * ```ts
 * const app = new AppSecurityGroup("app", { vpcId: network.vpcId });
 * new Database("database", { ..., clientSecurityGroupIds: [app.securityGroupId] });
 * ```
 *
 * **Cost**: free.
 */
export class AppSecurityGroup extends pulumi.ComponentResource {
    /** ID of the application security group: attach services to it, hand it to data stores. */
    readonly securityGroupId: pulumi.Output<string>;
    /** The raw children, for advanced use. */
    readonly nodes: { securityGroup: ec2.SecurityGroup; httpsEgress?: vpc.SecurityGroupEgressRule };

    constructor(name: string, args: AppSecurityGroupArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:AppSecurityGroup", name, {}, opts);
        const securityGroup = new ec2.SecurityGroup(
            name,
            {
                vpcId: args.vpcId,
                // No inline rules: the provider then removes the allow-all egress AWS adds to a new group.
                description: `Application tier (${name})`,
                tags: { Name: name, [ROLE_TAG]: "app" },
            },
            { parent: this },
        );
        const httpsEgress =
            (args.httpsEgress ?? true)
                ? new vpc.SecurityGroupEgressRule(
                      `${name}-https-out`,
                      {
                          securityGroupId: securityGroup.id,
                          description: "HTTPS to AWS APIs and third-party APIs",
                          ipProtocol: "tcp",
                          fromPort: 443,
                          toPort: 443,
                          cidrIpv4: "0.0.0.0/0",
                      },
                      { parent: this },
                  )
                : undefined;
        this.securityGroupId = securityGroup.id;
        this.nodes = { securityGroup, httpsEgress };
        this.registerOutputs({ securityGroupId: this.securityGroupId });
    }
}

export interface DataStoreSecurityGroupArgs {
    vpcId: pulumi.Input<string>;
    /** The one TCP port the store listens on. */
    port: number;
    /** Security groups of the store's clients: each gets ingress here and egress to here. */
    clientSecurityGroupIds: pulumi.Input<string>[];
    /** Value of the {@link ROLE_TAG} tag, e.g. `database`. */
    role: string;
    /** What the group guards, e.g. "PostgreSQL database". */
    description: string;
}

export interface DataStoreSecurityGroup {
    securityGroup: ec2.SecurityGroup;
    ingress: vpc.SecurityGroupIngressRule[];
    /** The matching egress rules added to each client's group. */
    clientEgress: vpc.SecurityGroupEgressRule[];
}

/**
 * A data store's security group (shared by Database and Cache): ingress on `port` only from the
 * client security groups, referenced by ID and never by CIDR; no egress at all (a database never
 * opens connections); and, on each client group, the egress rule to this group on that port, so
 * the chain app → store is declared in one place. Clients must manage their rules as separate rule
 * resources (as {@link AppSecurityGroup} does), not inline, or the two would overwrite each other.
 */
export function createDataStoreSecurityGroup(name: string, args: DataStoreSecurityGroupArgs, parent: pulumi.Resource): DataStoreSecurityGroup {
    const securityGroup = new ec2.SecurityGroup(
        `${name}-sg`,
        {
            vpcId: args.vpcId,
            description: args.description,
            tags: { Name: `${name}-sg`, [ROLE_TAG]: args.role },
        },
        { parent },
    );
    const ingress = args.clientSecurityGroupIds.map(
        (clientId, i) =>
            new vpc.SecurityGroupIngressRule(
                `${name}-sg-from-client-${i + 1}`,
                {
                    securityGroupId: securityGroup.id,
                    description: `${args.description} clients`,
                    ipProtocol: "tcp",
                    fromPort: args.port,
                    toPort: args.port,
                    referencedSecurityGroupId: clientId,
                },
                { parent },
            ),
    );
    const clientEgress = args.clientSecurityGroupIds.map(
        (clientId, i) =>
            new vpc.SecurityGroupEgressRule(
                `${name}-sg-client-${i + 1}-out`,
                {
                    securityGroupId: clientId,
                    description: `To the ${args.description}`,
                    ipProtocol: "tcp",
                    fromPort: args.port,
                    toPort: args.port,
                    referencedSecurityGroupId: securityGroup.id,
                },
                { parent },
            ),
    );
    return { securityGroup, ingress, clientEgress };
}
