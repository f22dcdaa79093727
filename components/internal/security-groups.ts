import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";

/**
 * The tag that says what a security group guards (`app`, `database`, `cache`, `public-alb`); the
 * policy pack reads it (e.g. only `public-alb` may open 80/443 to the world).
 */
export const ROLE_TAG = "groundwork:role";

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
 * resources (as `AppSecurityGroup` does), not inline, or the two would overwrite each other.
 */
export function createDataStoreSecurityGroup(
    name: string,
    args: DataStoreSecurityGroupArgs,
    parent: pulumi.Resource,
): DataStoreSecurityGroup {
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
