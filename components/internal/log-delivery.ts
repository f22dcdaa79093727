import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { policyDocument } from "../common";

/**
 * The resource policy that lets AWS's log delivery service write a log group: what services that
 * deliver "vended logs" (CloudFront standard logging v2, WAF) need on their destination group.
 * It is the statement CloudWatch Logs documents ("Logs sent to CloudWatch Logs":
 * `delivery.logs.amazonaws.com` may `CreateLogStream` and `PutLogEvents` on the group's streams,
 * for deliveries of this account in this region), attached to this one group (a resource-scoped
 * policy: one per group, outside the account's limit of 10 account-level policies).
 *
 * Declared by the component rather than left to the service: without it, enabling the delivery
 * creates or extends a policy itself (WAF an account-level `AWSWAF-LOGS`, which fails once its size
 * limit is reached, as the provider's WebAclLoggingConfiguration docs warn), outside the stack, so
 * it stays behind after `pulumi destroy`. The delivery should depend on it.
 *
 * `region` is where the group lives: a region name for a group placed with the per-resource
 * `region`, undefined for the provider's.
 */
export function createLogDeliveryPolicy(
    name: string,
    logGroup: cloudwatch.LogGroup,
    region: string | undefined,
    parent: pulumi.Resource,
): cloudwatch.LogResourcePolicy {
    const invokeOpts = { parent };
    const account = getCallerIdentityOutput({}, invokeOpts).accountId;
    const partition = getPartitionOutput({}, invokeOpts).partition;
    const sourceRegion = region ?? getRegionOutput({}, invokeOpts).region;
    return new cloudwatch.LogResourcePolicy(
        name,
        {
            resourceArn: logGroup.arn,
            policyDocument: policyDocument({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "AWSLogDeliveryWrite20150319",
                        Effect: "Allow",
                        Principal: { Service: "delivery.logs.amazonaws.com" },
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*`,
                        Condition: {
                            StringEquals: { "aws:SourceAccount": account },
                            ArnLike: {
                                "aws:SourceArn": pulumi.interpolate`arn:${partition}:logs:${sourceRegion}:${account}:*`,
                            },
                        },
                    },
                ],
            }),
            region,
        },
        { parent },
    );
}
