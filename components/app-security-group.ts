import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import { ROLE_TAG } from "./internal/security-groups";

// Re-exported for programs that imported them from here before they moved.
export type { DataStoreSecurityGroup, DataStoreSecurityGroupArgs } from "./internal/security-groups";
export { ROLE_TAG, createDataStoreSecurityGroup } from "./internal/security-groups";

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

/** The raw children of an {@link AppSecurityGroup}. An interface, so that the component package's schema can carry it. */
export interface AppSecurityGroupNodes {
    securityGroup: ec2.SecurityGroup;
    httpsEgress?: vpc.SecurityGroupEgressRule;
}

/**
 * The application tier's security group, for the Fargate services: no ingress of its own (the
 * load balancer's component adds a rule from its group), egress only on 443 to the internet, plus
 * the egress rules each data store adds for its port (see `createDataStoreSecurityGroup` in
 * `internal/security-groups.ts`).
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
    readonly nodes: AppSecurityGroupNodes;

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
