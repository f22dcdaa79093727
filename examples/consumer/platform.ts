import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AppSecurityGroup, Cluster, Database, FargateService, Vpc } from "groundwork";

/**
 * This project's own platform: a two-AZ network with one shared NAT gateway, a small PostgreSQL
 * database in the isolated subnets, and one API service reading the database password from the
 * secret RDS manages. Alarms go to the team's own topic, wired by hand rather than through
 * Groundwork's Monitoring component.
 */
export interface PlatformArgs {
    /** The SNS topic every alarm notifies (the team's own, created here or elsewhere). */
    alarmTopicArn: pulumi.Input<string>;
    /** The image the API runs; unset, the service waits with no task for its first image. */
    imageTag?: string;
}

export function createPlatform(name: string, args: PlatformArgs) {
    const network = new Vpc(`${name}-network`, {
        azCount: 2,
        natGateways: "single",
        flowLogRetentionDays: 30,
        alarmTopicArn: args.alarmTopicArn,
    });
    const app = new AppSecurityGroup(`${name}-app`, { vpcId: network.vpcId });
    const database = new Database(`${name}-db`, {
        vpcId: network.vpcId,
        subnetIds: network.subnetIds.isolated,
        clientSecurityGroupIds: [app.securityGroupId],
        instanceClass: "db.t4g.micro",
        allocatedStorageGb: 20,
        alarmTopicArn: args.alarmTopicArn,
    });
    const cluster = new Cluster(`${name}-cluster`, { containerInsights: "enabled" });
    const api = new FargateService(`${name}-api`, {
        clusterArn: cluster.clusterArn,
        clusterName: cluster.clusterName,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        appSecurityGroupId: app.securityGroupId,
        imageTag: args.imageTag,
        cpu: 256,
        memory: 512,
        port: 8080,
        environment: { DATABASE_HOST: database.address, DATABASE_NAME: database.databaseName },
        secrets: [
            {
                name: "DATABASE_PASSWORD",
                secretArn: database.masterUserSecretArn,
                jsonKey: "password",
                kmsKeyArn: database.kmsKeyArn,
            },
        ],
        logKmsKeyArn: cluster.logsKmsKeyArn,
        repositoryKmsKeyArn: cluster.imagesKmsKeyArn,
        alarmTopicArn: args.alarmTopicArn,
    });
    return { network, app, database, cluster, api };
}

/**
 * The alarm topic this project owns: plain @pulumi/aws next to Groundwork's components. Encrypted with
 * a key of its own that grants CloudWatch: alarms cannot publish to a topic under the AWS-managed
 * `alias/aws/sns`, whose key policy AWS does not let anyone extend (AWS re:Post, "configure a
 * CloudWatch alarm with an encrypted SNS topic"); the policy pack's enc-cmk-managed flags that alias.
 */
export function alarmTopic(name: string): aws.sns.Topic {
    const account = aws.getCallerIdentityOutput().accountId;
    const partition = aws.getPartitionOutput().partition;
    const key = new aws.kms.Key(`${name}-alarms-key`, {
        description: `Encrypts the ${name} alarm topic`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AccountAdministersThroughIam",
                    Effect: "Allow",
                    Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:root` },
                    Action: "kms:*",
                    Resource: "*",
                },
                {
                    Sid: "CloudWatchAlarmsPublish",
                    Effect: "Allow",
                    Principal: { Service: "cloudwatch.amazonaws.com" },
                    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                    Resource: "*",
                    Condition: { StringEquals: { "aws:SourceAccount": account } },
                },
            ],
        }),
    });
    return new aws.sns.Topic(`${name}-alarms`, { kmsMasterKeyId: key.arn });
}
