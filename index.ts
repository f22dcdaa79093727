import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import { Monitoring } from "./components/monitoring";
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
    },
    { provider: aws },
);
monitoring.addWidgets(network.dashboardWidgets);
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
