/**
 * The Groundwork component library: what `import { Vpc, Database, FargateService } from "groundwork"`
 * gives. Importing it declares no resource and reads no stack config (test/package.test.ts proves
 * it); the program that composes these components for our own stacks is index.ts, which this
 * package does not ship.
 *
 * Each component comes with its `Args` interface, the types its args name, and the constants a
 * caller validates its own config against (`NAT_GATEWAY_STRATEGIES`, `FARGATE_SIZES`, ...). Raw
 * children are on each component's `nodes`; their types are `Vpc["nodes"]` and so on.
 */

// Network
export { Vpc, NAT_GATEWAY_STRATEGIES, TIER_TAG } from "./vpc";
export { INTERFACE_ENDPOINT_SERVICES, NAT_INSTANCE_TYPE } from "./vpc";
export type {
    VpcArgs,
    NatGatewayStrategy,
    VpcNodes,
    VpcSubnetIds,
    VpcSubnetNodes,
    VpcRouteTableNodes,
    NatInstanceNodes,
} from "./vpc";
export {
    SUBNET_TIERS,
    SubnetLayoutError,
    defaultSubnetLayout,
    validateSubnetLayout,
    parseIpv4Cidr,
    overlaps,
    contains,
    MIN_PREFIX,
    MAX_PREFIX,
    MAX_DEFAULT_LAYOUT_PREFIX,
    MAX_AZS,
} from "./subnets";
export type { SubnetTier, SubnetLayout, Ipv4Block } from "./subnets";
export { AppSecurityGroup } from "./app-security-group";
export type { AppSecurityGroupArgs, AppSecurityGroupNodes } from "./app-security-group";
export { ROLE_TAG, createDataStoreSecurityGroup } from "./internal/security-groups";
export type { DataStoreSecurityGroup, DataStoreSecurityGroupArgs } from "./internal/security-groups";

// Data
export { Database, POSTGRES_PORT } from "./database";
export type { DatabaseArgs, DatabaseNodes, DatabaseDrBackupNodes } from "./database";
export { Cache, CACHE_PORT } from "./cache";
export type { CacheArgs, CacheNodes } from "./cache";
export { Bucket, DATA_CLASSIFICATION_TAG } from "./bucket";
export type { BucketArgs, BucketNodes } from "./bucket";
export { AccessLogBucket, S3_ACCESS_LOG_SERVICE } from "./access-log-bucket";
export type { AccessLogBucketArgs, AccessLogBucketNodes } from "./access-log-bucket";
export { Queue } from "./queue";
export type { QueueArgs, QueueNodes } from "./queue";
export { AppSecrets } from "./secrets";
export type { AppSecretsArgs, AppSecretsNodes } from "./secrets";
export { createKmsKey } from "./kms-key";
export type { KmsKey, KmsKeyArgs } from "./kms-key";

// Compute
export { Cluster, CLUSTER_CAPACITIES, CONTAINER_INSIGHTS_MODES } from "./cluster";
export type { ClusterArgs, ClusterCapacity, ContainerInsightsMode, ClusterNodes, Ec2CapacityNodes } from "./cluster";
export { FargateService, FARGATE_SERVICE_ARCHITECTURES, fargateServiceNames } from "./fargate-service";
export type {
    FargateServiceArgs,
    FargateServiceArchitecture,
    FargateServiceSecret,
    FargateServiceBucketAccess,
    FargateServiceRuntimeSecret,
    FargateServiceAccess,
    FargateServiceQueueScaling,
    FargateServiceNames,
    FargateServiceNodes,
} from "./fargate-service";
export { FARGATE_SIZES, FARGATE_CPUS, fargateSizeProblem } from "./internal/fargate";

// Edge
export { LoadBalancer, LOAD_BALANCER_SCHEMES, LOAD_BALANCER_INGRESS, DESYNC_MITIGATION_MODES } from "./load-balancer";
export type {
    LoadBalancerArgs,
    LoadBalancerTarget,
    LoadBalancerScheme,
    LoadBalancerIngress,
    DesyncMitigationMode,
    LoadBalancerNodes,
    AccessLogNodes,
    OriginVerifyNodes,
} from "./load-balancer";
export { Cdn, ORIGIN_PROTOCOLS, PRICE_CLASSES, cdnBucketReadStatement } from "./cdn";
export type { CdnArgs, OriginHeader, OriginProtocol, CdnNodes, CdnLogNodes } from "./cdn";
export { WebAcl, WEB_ACL_SCOPES } from "./web-acl";
export type { WebAclArgs, WebAclScope, WebAclNodes } from "./web-acl";
export { Dns, AliasRecords, CERTIFICATE_KEY_ALGORITHMS } from "./dns";
export type { DnsArgs, AliasRecordsArgs, CertificateKeyAlgorithm, DnsNodes, AliasRecordsNodes } from "./dns";

// Identity, mail, operations
export { Auth, AUTH_MFA_MODES, THREAT_PROTECTION_MODES } from "./auth";
export type { AuthArgs, AuthMfaMode, ThreatProtectionMode, SchemaAttribute, AuthNodes } from "./auth";
export { Mail, DMARC_POLICIES, MAIL_TEMPLATES, mailSendStatements } from "./mail";
export type { MailArgs, DmarcPolicy, MailTemplateName, MailSendResources, MailNodes } from "./mail";
export { Monitoring, EDGE_ALARM_REGION } from "./monitoring";
export type {
    MonitoringArgs,
    MonitoringBudgetArgs,
    MonitoringNodes,
    AlarmRouteNodes,
    AlarmTopicNodes,
} from "./monitoring";
export { Audit, AUDIT_CONTROLS } from "./audit";
export type { AuditArgs, AuditNodes, AuditBucketNodes, AuditControl } from "./audit";
export { LogQueries, LOG_QUERIES } from "./log-queries";
export type { LogQueriesArgs, LogQueriesNodes } from "./log-queries";
export { GithubDeployRoles } from "./deploy-roles";
export type { GithubDeployRolesArgs, GithubSubjects, GithubDeployRolesNodes } from "./deploy-roles";

// Shared helpers: errors, stateful options, IAM documents, names, alarms, rules
export { ComponentArgError, statefulOptions, policyDocument, denyInsecureTransport } from "./common";
export { physicalName, stackScopedName, withSuffix, ecsLogGroupPrefix, secretName } from "./internal/naming";
export { LOG_RETENTION_DAYS, logRetentionProblem } from "./internal/rules";
export { SUPPORTED_REGIONS, regionProblem } from "./internal/regions";
export { createAlarm, createMathAlarm, alarmRoutes, metricWidget } from "./internal/alarms";
export type {
    AlarmSeverity,
    AlarmSpec,
    AlarmRoutes,
    MathAlarmSpec,
    MathAlarmMetric,
    DashboardWidget,
    MetricRow,
    MetricRowOptions,
} from "./internal/alarms";
