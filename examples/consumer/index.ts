import { alarmTopic, createPlatform } from "./platform";

const topic = alarmTopic("shop");
const platform = createPlatform("shop", { alarmTopicArn: topic.arn });

export const vpcId = platform.network.vpcId;
export const databaseEndpoint = platform.database.endpoint;
export const apiRepositoryUrl = platform.api.repositoryUrl;
