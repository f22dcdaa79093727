import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import { AppSecurityGroup } from "./components/app-security-group";
import { Bucket } from "./components/bucket";
import { Cache } from "./components/cache";
import { Database } from "./components/database";
import { Monitoring } from "./components/monitoring";
import { Queue } from "./components/queue";
import { AppSecrets } from "./components/secrets";
import { Vpc } from "./components/vpc";
import { readStackConfig } from "./stacks";

/**
 * The Groundwork program: reads and validates the stack config (nothing is declared when it is
 * invalid), then composes the platform's components from it. Components never read config; this
 * file and `stacks/` are the only places that do.
 */
const config = readStackConfig();
const stackName = `${pulumi.getProject()}-${pulumi.getStack()}`;

// One explicit provider: the region and the tags every taggable resource carries come from the
// stack config, not from whatever the deployer's environment says.
const aws = new Provider("aws", {
    region: config.region,
    defaultTags: { tags: config.tags },
});

const monitoring = new Monitoring(
    "monitoring",
    {
        region: config.region,
        alarmEmails: config.alarms.emails,
        dashboardName: stackName,
        protect: config.protect,
    },
    { provider: aws },
);

const network = new Vpc(
    "network",
    {
        cidrBlock: config.network.vpcCidr,
        availabilityZones: config.network.availabilityZones,
        azCount: config.network.azCount,
        publicSubnetCidrs: config.network.subnets.public,
        privateSubnetCidrs: config.network.subnets.private,
        isolatedSubnetCidrs: config.network.subnets.isolated,
        natGateways: config.network.natGateways,
        flowLogRetentionDays: config.network.flowLogRetentionDays,
        alarmTopicArn: monitoring.alarmTopicArn,
        protect: config.protect,
    },
    { provider: aws },
);

// The application tier's security group: the services run in it, and it is the only group the
// data stores admit.
const app = new AppSecurityGroup("app", { vpcId: network.vpcId }, { provider: aws });

// Data stores live in the isolated subnets: no route leaves the VPC from there.
const dataSubnetIds = network.subnetIds.isolated;
const dataStoreNetwork = {
    vpcId: network.vpcId,
    subnetIds: dataSubnetIds,
    clientSecurityGroupIds: [app.securityGroupId],
};
const stateful = { alarmTopicArn: monitoring.alarmTopicArn, protect: config.protect };

const database = new Database("database", { ...config.database, ...dataStoreNetwork, ...stateful }, { provider: aws });
const cache = new Cache("cache", { ...config.cache, ...dataStoreNetwork, ...stateful }, { provider: aws });
const secrets = new AppSecrets(
    "secrets",
    { thirdPartyKeys: config.secrets.thirdPartyKeys, protect: config.protect },
    { provider: aws },
);

const uploads = new Bucket(
    "uploads",
    {
        ...config.storage.uploads,
        corsOrigins: config.storage.corsOrigins,
        dataClassification: "confidential",
        forceDestroy: config.storage.forceDestroy,
        protect: config.protect,
    },
    { provider: aws },
);
const assets = new Bucket(
    "assets",
    {
        ...config.storage.assets,
        dataClassification: "public",
        // The CDN reads assets through origin access control, so CloudFront must be able to decrypt.
        // Until the CDN exists the grant is limited to this account's distributions; the CDN then
        // narrows it to its own (kmsServiceSourceArns) and adds its read grant (policyStatements).
        kmsServicePrincipals: ["cloudfront.amazonaws.com"],
        forceDestroy: config.storage.forceDestroy,
        protect: config.protect,
    },
    { provider: aws },
);

const jobs = new Queue("jobs", { ...config.queues.jobs, ...stateful }, { provider: aws });
const events = new Queue("events", { ...config.queues.events, ...stateful }, { provider: aws });

monitoring.addWidgets([
    ...network.dashboardWidgets,
    ...database.dashboardWidgets,
    ...cache.dashboardWidgets,
    ...jobs.dashboardWidgets,
    ...events.dashboardWidgets,
]);
monitoring.createDashboard();

export const environment = config.environment;
export const region = config.region;
export const vpcId = network.vpcId;
export const vpcCidr = network.cidr;
export const availabilityZones = network.availabilityZones;
export const publicSubnetIds = network.publicSubnetIds;
export const privateSubnetIds = network.privateSubnetIds;
export const isolatedSubnetIds = network.isolatedSubnetIds;
export const natGatewayIds = network.natGatewayIds;
export const alarmTopicArn = monitoring.alarmTopicArn;
export const dashboardName = monitoring.dashboardName;
export const appSecurityGroupId = app.securityGroupId;
export const databaseEndpoint = database.endpoint;
export const databaseSecretArn = database.masterUserSecretArn;
export const cacheEndpoint = cache.primaryEndpoint;
export const cacheReaderEndpoint = cache.readerEndpoint;
export const cacheAuthTokenSecretArn = cache.authTokenSecretArn;
export const appSecretArns = secrets.secretArns;
export const uploadsBucketName = uploads.bucketName;
export const assetsBucketName = assets.bucketName;
export const assetsBucketDomainName = assets.regionalDomainName;
export const jobsQueueUrl = jobs.queueUrl;
export const eventsQueueUrl = events.queueUrl;
