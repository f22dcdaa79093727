import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import { AccessLogBucket } from "./components/access-log-bucket";
import { AppSecurityGroup } from "./components/app-security-group";
import { Audit } from "./components/audit";
import { Auth } from "./components/auth";
import { Bucket } from "./components/bucket";
import { Cache } from "./components/cache";
import { Cdn, cdnBucketReadStatement } from "./components/cdn";
import { Cluster } from "./components/cluster";
import { Database } from "./components/database";
import { GithubDeployRoles } from "./components/deploy-roles";
import { AliasRecords, Dns } from "./components/dns";
import { FargateService, FargateServiceArgs, fargateServiceNames } from "./components/fargate-service";
import { LoadBalancer } from "./components/load-balancer";
import { LogQueries } from "./components/log-queries";
import { Mail } from "./components/mail";
import { EDGE_ALARM_REGION, Monitoring } from "./components/monitoring";
import { Queue } from "./components/queue";
import { AppSecrets } from "./components/secrets";
import { Vpc } from "./components/vpc";
import { WebAcl } from "./components/web-acl";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { PlatformEnvName, ServiceConfig, readStackConfig, secretEnvName } from "./stacks";

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

const routed = Object.keys(config.edge.routes);
const hasEdge = routed.length > 0;

const monitoring = new Monitoring(
    "monitoring",
    {
        region: config.region,
        alarmEmails: config.alarms.emails,
        criticalAlarmEmails: config.alarms.criticalEmails,
        // Secret in state and outputs: a webhook URL usually carries its token.
        criticalWebhookUrl: config.alarms.webhookUrl ? pulumi.secret(config.alarms.webhookUrl) : undefined,
        criticalWebhookAutoConfirms: config.alarms.webhookAutoConfirms,
        dashboardName: stackName,
        // CloudFront's and a CLOUDFRONT-scope WAF's metrics live in us-east-1, and an alarm notifies
        // a topic of its own region: outside us-east-1 that takes a second topic there.
        edgeAlarms: hasEdge && config.edge.cdn,
        // This stack's cost: its resources carry the project and stack tags (provider defaultTags),
        // which must be activated as cost allocation tags in the Billing console (README).
        budget: config.alarms.budget
            ? {
                  monthlyUsd: config.alarms.budget.monthlyUsd,
                  forecastPercent: config.alarms.budget.forecastPercent,
                  costTags: { project: config.tags.project, stack: config.tags.stack },
                  name: stackName,
              }
            : undefined,
        protect: config.protect,
    },
    { provider: aws },
);
/** Both alarm routes of the stack's region, for every component with alarms. */
const alarmRoutes = {
    alarmTopicArn: monitoring.alarmTopicArn,
    criticalAlarmTopicArn: monitoring.criticalAlarmTopicArn,
};
/** The routes in us-east-1, for the alarms on CloudFront's and a CLOUDFRONT-scope WAF's metrics. */
const edgeAlarmRoutes = () => ({
    alarmTopicArn: monitoring.edgeAlarmTopicArn!,
    criticalAlarmTopicArn: monitoring.edgeCriticalAlarmTopicArn!,
});

// ---- Deploys from GitHub Actions ------------------------------------------------------------
// The roles come before anything with a role: every role the stack creates carries their
// permissions boundary, the only kind of role the deploy role may create.

const account = getCallerIdentityOutput({}, { provider: aws }).accountId;
const partition = getPartitionOutput({}, { provider: aws }).partition;
/** The repositories the services will have (by their derived names), for the push role. */
const ecrRepositoryArns = Object.entries(config.services)
    .filter(([, svc]) => svc.image === undefined)
    .map(
        ([name]) =>
            pulumi.interpolate`arn:${partition}:ecr:${config.region}:${account}:repository/${fargateServiceNames(name).repositoryName}`,
    );
const deployRoles = config.deploy.githubRepository
    ? new GithubDeployRoles(
          "deploy",
          {
              repository: config.deploy.githubRepository,
              branch: config.deploy.branch,
              environment: config.deploy.environment,
              oidcProviderArn: config.deploy.oidcProviderArn,
              ecrRepositoryArns,
              // CloudFront's certificate, WAF and metrics live in us-east-1; backups may go to a DR region.
              extraRegions: [
                  ...new Set(["us-east-1", ...(config.database.drRegion ? [config.database.drRegion] : [])]),
              ],
          },
          { provider: aws },
      )
    : undefined;
const permissionsBoundaryArn = deployRoles?.permissionsBoundaryArn;

// ---- Network and data ------------------------------------------------------------------------

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
        interfaceEndpoints: config.network.interfaceEndpoints,
        flowLogRetentionDays: config.network.flowLogRetentionDays,
        ...alarmRoutes,
        permissionsBoundaryArn,
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
const stateful = { ...alarmRoutes, protect: config.protect };

const database = new Database(
    "database",
    { ...config.database, ...dataStoreNetwork, ...stateful, permissionsBoundaryArn },
    { provider: aws },
);
const cache = new Cache("cache", { ...config.cache, ...dataStoreNetwork, ...stateful }, { provider: aws });
const secrets = new AppSecrets(
    "secrets",
    { thirdPartyKeys: config.secrets.thirdPartyKeys, protect: config.protect },
    { provider: aws },
);

// The CDN needs the assets bucket, and the bucket's grants need the CDN: its ARN and domain are
// passed deferred and resolved once it exists.
const [cdnArn, setCdnArn] = pulumi.deferredOutput<string>();
const [cdnDomain, setCdnDomain] = pulumi.deferredOutput<string>();
const withCdn = hasEdge && config.edge.cdn;

// Browsers upload from the site: its origin unless the stack lists its own.
const siteOrigins: pulumi.Input<string>[] =
    config.storage.corsOrigins.length > 0
        ? config.storage.corsOrigins
        : config.dns
          ? [`https://${config.dns.siteName}`]
          : withCdn
            ? [pulumi.interpolate`https://${cdnDomain}`]
            : [];

// S3 server access logs of the uploads, assets, trail and load-balancer log buckets (Security Hub S3.9) go to a bucket
// of their own; its grant names them, whose ARNs exist only with them.
const [uploadsArn, setUploadsArn] = pulumi.deferredOutput<string>();
const [assetsArn, setAssetsArn] = pulumi.deferredOutput<string>();
const [trailBucketArn, setTrailBucketArn] = pulumi.deferredOutput<string>();
const [lbLogsArn, setLbLogsArn] = pulumi.deferredOutput<string>();
const accessLogs = new AccessLogBucket(
    "access-logs",
    {
        sourceBucketArns: [
            uploadsArn,
            assetsArn,
            ...(config.audit.trail === "create" ? [trailBucketArn] : []),
            ...(hasEdge ? [lbLogsArn] : []),
        ],
        expirationDays: config.audit.accessLogExpirationDays,
        forceDestroy: config.storage.forceDestroy,
        protect: config.protect,
    },
    { provider: aws },
);

const uploads = new Bucket(
    "uploads",
    {
        ...config.storage.uploads,
        accessLogBucketName: accessLogs.bucketName,
        corsOrigins: siteOrigins,
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
        accessLogBucketName: accessLogs.bucketName,
        dataClassification: "public",
        // The CDN reads assets through origin access control: CloudFront may decrypt and read, for
        // this stack's distribution only (without a CDN, for none of another account's).
        kmsServicePrincipals: ["cloudfront.amazonaws.com"],
        kmsServiceSourceArns: withCdn ? { "cloudfront.amazonaws.com": [cdnArn] } : undefined,
        policyStatements: withCdn ? [cdnBucketReadStatement(undefined, cdnArn)] : undefined,
        forceDestroy: config.storage.forceDestroy,
        protect: config.protect,
    },
    { provider: aws },
);

setUploadsArn(uploads.arn);
setAssetsArn(assets.arn);

const jobs = new Queue("jobs", { ...config.queues.jobs, ...stateful }, { provider: aws });
const events = new Queue("events", { ...config.queues.events, ...stateful }, { provider: aws });

// ---- The edge: names and certificates, WAF, the load balancer --------------------------------

const dns = config.dns
    ? new Dns(
          "dns",
          {
              zoneName: config.dns.zoneName,
              createZone: config.dns.createZone,
              siteName: config.dns.siteName,
              apiName: config.dns.apiName,
              originName: config.dns.originName,
              // The Cognito login domain is fronted by CloudFront: its certificate lives in us-east-1.
              extraCdnNames: config.auth?.customDomain ? [config.auth.customDomain] : undefined,
              protect: config.protect,
          },
          { provider: aws },
      )
    : undefined;

// ---- Identity and mail ------------------------------------------------------------------------

const mail =
    config.mail && dns
        ? new Mail(
              "mail",
              {
                  domain: config.mail.domain,
                  zoneId: dns.zoneId,
                  mailFromSubdomain: config.mail.mailFromSubdomain,
                  dmarcPolicy: config.mail.dmarcPolicy,
                  dmarcReportAddress: config.mail.dmarcReportAddress,
                  ...alarmRoutes,
                  protect: config.protect,
              },
              { provider: aws },
          )
        : undefined;

const auth = config.auth
    ? new Auth(
          "auth",
          {
              mfa: config.auth.mfa,
              passwordMinLength: config.auth.passwordMinLength,
              passwordRequireLowercase: config.auth.passwordRequireLowercase,
              passwordRequireUppercase: config.auth.passwordRequireUppercase,
              passwordRequireNumbers: config.auth.passwordRequireNumbers,
              passwordRequireSymbols: config.auth.passwordRequireSymbols,
              selfSignUp: config.auth.selfSignUp,
              threatProtection: config.auth.threatProtection,
              // Through our own SES identity when mail is on; else Cognito's sender (50 a day, dev only).
              ...(mail
                  ? {
                        sesIdentityArn: mail.identityArn,
                        fromAddress: mail.fromAddress,
                        sesConfigurationSetName: mail.configurationSetName,
                    }
                  : {}),
              spaCallbackUrls: config.auth.callbackUrls,
              spaLogoutUrls: config.auth.logoutUrls,
              accessTokenMinutes: config.auth.accessTokenMinutes,
              idTokenMinutes: config.auth.idTokenMinutes,
              refreshTokenDays: config.auth.refreshTokenDays,
              backendClient: config.auth.backendClient,
              backendCallbackUrls: config.auth.backendClient ? config.auth.callbackUrls : undefined,
              secretKmsKeyArn: config.auth.backendClient ? secrets.kmsKeyArn : undefined,
              domainPrefix: config.auth.domainPrefix,
              customDomain: config.auth.customDomain,
              customDomainCertificateArn: config.auth.customDomain ? dns?.cdnCertificateArn : undefined,
              zoneId: config.auth.customDomain ? dns?.zoneId : undefined,
              ...alarmRoutes,
              protect: config.protect,
          },
          { provider: aws },
      )
    : undefined;

/** The services that sign users in (validate tokens) and that send mail (seed 004: api; notifier mails). */
const AUTH_CONSUMERS = ["api"];
const MAIL_SENDERS = ["api", "notifier"];

const webAcl =
    hasEdge && config.edge.waf
        ? new WebAcl(
              "waf",
              {
                  // On the distribution (created in us-east-1), or on the load balancer without one.
                  scope: withCdn ? "CLOUDFRONT" : "REGIONAL",
                  rateLimitPer5Minutes: config.edge.rateLimitPer5Minutes,
                  logRetentionDays: config.edge.logRetentionDays,
                  ...(withCdn ? edgeAlarmRoutes() : alarmRoutes),
                  protect: config.protect,
              },
              { provider: aws },
          )
        : undefined;

// The load balancer admits each routed service's own security group, which exists only with the
// service: the groups are passed deferred and resolved below.
const serviceGroups = Object.fromEntries(routed.map((name) => [name, pulumi.deferredOutput<string>()]));
const internal = config.edge.albScheme === "internal";
const lb = hasEdge
    ? new LoadBalancer(
          "web",
          {
              vpcId: network.vpcId,
              subnetIds: internal ? network.subnetIds.private : network.subnetIds.public,
              scheme: config.edge.albScheme,
              ingress: !withCdn ? "world" : internal ? "vpc-origin" : "cloudfront",
              certificateArn: dns?.certificateArn,
              secretKmsKeyArn: secrets.kmsKeyArn,
              targets: routed.map((name) => {
                  const route = config.edge.routes[name];
                  const svc = config.services[name];
                  return {
                      name,
                      port: svc.port,
                      healthCheckPath: svc.healthCheckPath,
                      securityGroupId: serviceGroups[name][0],
                      pathPatterns: route.paths.length > 0 ? route.paths : undefined,
                      hostHeaders: route.hosts.length > 0 ? route.hosts : undefined,
                      stickySeconds: route.stickySeconds,
                      slowStartSeconds: route.slowStartSeconds,
                  };
              }),
              deletionProtection: config.protect,
              accessLogRetentionDays: config.edge.accessLogRetentionDays,
              serverAccessLogBucketName: accessLogs.bucketName,
              ...alarmRoutes,
              webAclArn: withCdn ? undefined : webAcl?.webAclArn,
              protect: config.protect,
          },
          { provider: aws },
      )
    : undefined;
if (lb) {
    setLbLogsArn(lb.accessLogsBucketArn);
}

// ---- The application tier: one cluster, one FargateService per configured service ------------

const cluster = new Cluster(
    "cluster",
    {
        capacity: config.cluster.capacity,
        containerInsights: config.cluster.containerInsights,
        execLogRetentionDays: config.cluster.execLogRetentionDays,
        ...(config.cluster.capacity === "ec2"
            ? {
                  ec2InstanceType: config.cluster.ec2.instanceType,
                  ec2MinSize: config.cluster.ec2.min,
                  ec2MaxSize: config.cluster.ec2.max,
                  vpcId: network.vpcId,
                  subnetIds: network.subnetIds.private,
              }
            : {}),
        permissionsBoundaryArn,
        protect: config.protect,
    },
    { provider: aws },
);

/** What every service is told about the platform: plain coordinates, never a secret. */
const platformEnvironment: Record<Exclude<PlatformEnvName, "PORT">, pulumi.Input<string>> = {
    ENVIRONMENT: config.environment,
    AWS_REGION: config.region,
    DATABASE_HOST: database.address,
    DATABASE_PORT: database.port.apply(String),
    DATABASE_NAME: database.databaseName,
    DATABASE_USER: database.username,
    REDIS_HOST: cache.primaryEndpoint,
    REDIS_PORT: cache.port.apply(String),
    REDIS_TLS: "true",
    JOBS_QUEUE_URL: jobs.queueUrl,
    EVENTS_QUEUE_URL: events.queueUrl,
    UPLOADS_BUCKET: uploads.bucketName,
    ASSETS_BUCKET: assets.bucketName,
};

const queues = { jobs, events };
const buckets = { uploads, assets };

/** A secret by its config name: its ARN, the JSON key holding the value, and the key that decrypts it. */
function secretRef(secret: string): {
    secretArn: pulumi.Input<string>;
    jsonKey?: string;
    kmsKeyArn: pulumi.Input<string>;
} {
    switch (secret) {
        case "database":
            // The RDS-managed master secret is JSON ({"username", "password"}) under the database's key.
            return { secretArn: database.masterUserSecretArn, jsonKey: "password", kmsKeyArn: database.kmsKeyArn };
        case "cache":
            return { secretArn: cache.authTokenSecretArn, kmsKeyArn: cache.kmsKeyArn };
        case "jwt":
            return { secretArn: secrets.jwtSecretArn, kmsKeyArn: secrets.kmsKeyArn };
        default:
            return { secretArn: secrets.secretArns.apply((arns) => arns[secret]), kmsKeyArn: secrets.kmsKeyArn };
    }
}

/** `uploads` or `uploads/avatars/` → the bucket's ARN, key and prefix. */
function bucketRef(ref: string) {
    const [name, ...rest] = ref.split("/");
    const bucket = buckets[name as keyof typeof buckets];
    const prefix = rest.join("/");
    return { bucketArn: bucket.arn, kmsKeyArn: bucket.kmsKeyArn, prefix: prefix === "" ? undefined : prefix };
}

function serviceArgs(name: string, svc: ServiceConfig): FargateServiceArgs {
    const consumed = svc.access.consume[0];
    const targetGroupArn = lb?.targetGroupArns[name];
    return {
        clusterArn: cluster.clusterArn,
        clusterName: cluster.clusterName,
        vpcId: network.vpcId,
        subnetIds: network.subnetIds.private,
        appSecurityGroupId: app.securityGroupId,
        image: svc.image,
        imageTag: svc.imageTag,
        cpu: svc.cpu,
        memory: svc.memory,
        architecture: svc.architecture,
        desiredCount: svc.desiredCount,
        minCount: svc.minCount,
        maxCount: svc.maxCount,
        port: svc.port,
        healthCheckPath: svc.healthCheckPath,
        command: svc.command,
        user: svc.user,
        environment: {
            ...platformEnvironment,
            PORT: String(svc.port),
            ...(auth && AUTH_CONSUMERS.includes(name)
                ? {
                      AUTH_USER_POOL_ID: auth.userPoolId,
                      AUTH_CLIENT_ID: auth.spaClientId,
                      AUTH_ISSUER_URL: auth.issuerUrl,
                      AUTH_JWKS_URL: auth.jwksUrl,
                  }
                : {}),
            ...(mail && MAIL_SENDERS.includes(name)
                ? { MAIL_FROM_ADDRESS: mail.fromAddress, MAIL_CONFIGURATION_SET: mail.configurationSetName }
                : {}),
            ...svc.environment,
        },
        secrets: svc.access.secrets.map((secret) => ({ name: secretEnvName(secret), ...secretRef(secret) })),
        access: {
            sendQueueArns: svc.access.send.map((q) => queues[q].queueArn),
            consumeQueueArns: svc.access.consume.map((q) => queues[q].queueArn),
            buckets: [...new Set([...svc.access.read, ...svc.access.write])].map((ref) => ({
                ...bucketRef(ref),
                read: svc.access.read.includes(ref),
                write: svc.access.write.includes(ref),
            })),
            runtimeSecrets: svc.access.runtimeSecrets.map((secret) => {
                const { secretArn, kmsKeyArn } = secretRef(secret);
                return { secretArn, kmsKeyArn };
            }),
            // SES v2 authorizes a send against the identity and the configuration set, a
            // templated one against the template too; only from the domain's addresses.
            ...(mail && MAIL_SENDERS.includes(name)
                ? {
                      sesIdentityArns: [mail.identityArn, mail.configurationSetArn],
                      sesTemplateArns: Object.values(mail.nodes.templates).map((t) => t.arn),
                      sesFromAddresses: [`*@${mail.domain}`],
                  }
                : {}),
        },
        ...(config.cluster.capacity === "ec2"
            ? { capacityProviderName: cluster.ec2CapacityProviderName }
            : // Spot: one task always on regular Fargate, the rest 3:1 on Spot.
              { fargateBase: svc.spot ? 1 : 0, fargateWeight: 1, spotWeight: svc.spot ? 3 : 0 }),
        enableExecuteCommand: svc.exec,
        execLogGroupArn: svc.exec ? cluster.execLogGroupArn : undefined,
        execKmsKeyArn: svc.exec ? cluster.logsKmsKeyArn : undefined,
        repositoryKmsKeyArn: cluster.imagesKmsKeyArn,
        logRetentionDays: svc.logRetentionDays,
        logKmsKeyArn: cluster.logsKmsKeyArn,
        targetGroupArns: targetGroupArn ? [targetGroupArn] : undefined,
        queueScaling: consumed
            ? { queueName: queues[consumed].queueName, messagesPerTask: svc.backlogPerTask }
            : undefined,
        ...alarmRoutes,
        permissionsBoundaryArn,
        protect: config.protect,
    };
}

const services = Object.entries(config.services).map(
    ([name, svc]) => new FargateService(name, serviceArgs(name, svc), { provider: aws }),
);
for (const service of services) {
    serviceGroups[service.containerName]?.[1](service.securityGroupId);
}

// ---- The CDN and the names viewers use ---------------------------------------------------------

const cdn =
    lb && withCdn
        ? new Cdn(
              "cdn",
              {
                  // With a zone, CloudFront reaches the load balancer by the origin name its
                  // certificate covers; without one (dev), by its own name over HTTP.
                  originDomainName: dns ? dns.originName : lb.dnsName,
                  originProtocol: dns ? "https-only" : "http-only",
                  originVerifyHeader:
                      lb.originVerifyHeaderName && lb.originVerifyHeaderValue
                          ? { name: lb.originVerifyHeaderName, value: lb.originVerifyHeaderValue }
                          : undefined,
                  vpcOriginAlbArn: internal ? lb.loadBalancerArn : undefined,
                  assetsBucketRegionalDomainName: assets.regionalDomainName,
                  aliases: dns ? [dns.siteName, dns.apiName] : undefined,
                  certificateArn: dns?.cdnCertificateArn,
                  priceClass: config.edge.priceClass,
                  hstsPreload: config.edge.hstsPreload,
                  contentSecurityPolicy: config.edge.contentSecurityPolicy,
                  webAclArn: webAcl?.webAclArn,
                  logRetentionDays: config.edge.logRetentionDays,
                  ...edgeAlarmRoutes(),
                  protect: config.protect,
              },
              { provider: aws },
          )
        : undefined;
if (withCdn) {
    // Without a CDN the deferred values are never read (nothing took them).
    setCdnArn(cdn!.distributionArn);
    setCdnDomain(cdn!.domainName);
}

if (dns && lb) {
    // Viewers: the site and API names to the CDN (or straight to the load balancer without one).
    new AliasRecords(
        "names",
        {
            zoneId: dns.zoneId,
            names: [...new Set([dns.siteName, dns.apiName])],
            targetDomainName: cdn ? cdn.domainName : lb.dnsName,
            targetHostedZoneId: cdn ? cdn.hostedZoneId : lb.zoneId,
            // The load balancer is IPv4 only; CloudFront answers IPv6 too.
            ipv6: cdn !== undefined,
        },
        { provider: aws },
    );
    if (cdn) {
        // The origin name CloudFront connects to, covered by the load balancer's certificate.
        new AliasRecords(
            "origin",
            {
                zoneId: dns.zoneId,
                names: [dns.originName],
                targetDomainName: lb.dnsName,
                targetHostedZoneId: lb.zoneId,
                ipv6: false,
            },
            { provider: aws },
        );
    }
}

// ---- Audit and logging -----------------------------------------------------------------------
// The account's trail (one per account: `existing` relies on another's, `off` declares none) and
// the saved Logs Insights queries over the services' and the database's logs.

const audit =
    config.audit.trail === "create"
        ? new Audit(
              "audit",
              {
                  glacierTransitionDays: config.audit.glacierTransitionDays,
                  expirationDays: config.audit.expirationDays,
                  logRetentionDays: config.audit.logRetentionDays,
                  accessLogBucketName: accessLogs.bucketName,
                  // Critical controls (root use, trail changes, key deletion) page; the rest warn.
                  ...alarmRoutes,
                  permissionsBoundaryArn,
                  protect: config.protect,
              },
              { provider: aws },
          )
        : undefined;
if (audit) {
    setTrailBucketArn(audit.bucketArn);
}
new LogQueries(
    "queries",
    {
        serviceLogGroupNames: services.map((service) => service.logGroupName),
        databaseLogGroupName: database.postgresqlLogGroupName,
    },
    { provider: aws },
);

// The dashboard, by tier from the viewer inwards (seed 000's panels), with every alarm's status.
monitoring.addSection("Edge: CloudFront and WAF", [
    ...(cdn?.dashboardWidgets ?? []),
    ...(webAcl?.dashboardWidgets ?? []),
]);
monitoring.addSection("Load balancer: requests, latency, 4XX/5XX, error rate", lb?.dashboardWidgets ?? []);
monitoring.addSection(
    "Application tier: ECS services (CPU, memory, running vs desired tasks)",
    services.flatMap((service) => service.dashboardWidgets),
);
monitoring.addSection("Queues: visible messages, oldest message, dead letters", [
    ...jobs.dashboardWidgets,
    ...events.dashboardWidgets,
]);
monitoring.addSection("Data tier: PostgreSQL and Redis", [...database.dashboardWidgets, ...cache.dashboardWidgets]);
monitoring.addSection("Identity and mail: sign-ins, bounces and complaints", [
    ...(auth?.dashboardWidgets ?? []),
    ...(mail?.dashboardWidgets ?? []),
]);
monitoring.addSection("Network: NAT gateways", network.dashboardWidgets);
monitoring.addAlarmStatus([
    ...network.nodes.alarms,
    ...database.nodes.alarms,
    ...cache.nodes.alarms,
    ...jobs.nodes.alarms,
    ...events.nodes.alarms,
    ...services.flatMap((service) => service.nodes.alarms),
    ...(lb?.nodes.alarms ?? []),
    ...(auth?.nodes.alarms ?? []),
    ...(mail?.nodes.alarms ?? []),
    ...(webAcl && !withCdn ? webAcl.nodes.alarms : []),
    ...Object.values(audit?.nodes.alarms ?? {}),
]);
// CloudFront's and a CLOUDFRONT-scope WAF's alarms live in us-east-1.
monitoring.addAlarmStatus(
    [...(cdn?.nodes.alarms ?? []), ...(webAcl && withCdn ? webAcl.nodes.alarms : [])],
    EDGE_ALARM_REGION,
);
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
export const criticalAlarmTopicArn = monitoring.criticalAlarmTopicArn;
export const budgetName = monitoring.budgetName ?? null;
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
export const clusterName = cluster.clusterName;
export const serviceNames = Object.fromEntries(services.map((s) => [s.containerName, s.serviceName]));
export const imageRepositoryUrls = Object.fromEntries(
    services.flatMap((s) => (s.repositoryUrl ? [[s.containerName, s.repositoryUrl]] : [])),
);
// Optional parts export null when absent (an undefined stack output is dropped with a warning).
export const deployRoleArns = deployRoles
    ? { push: deployRoles.pushRoleArn, preview: deployRoles.previewRoleArn, deploy: deployRoles.deployRoleArn }
    : null;
export const loadBalancerDnsName = lb?.dnsName ?? null;
export const cdnDomainName = cdn?.domainName ?? null;
export const siteUrl = config.dns
    ? `https://${config.dns.siteName}`
    : cdn
      ? pulumi.interpolate`https://${cdn.domainName}`
      : null;
export const nameServers = dns?.nameServers ?? null;
export const signIn = authOutputs();
export const mailFromAddress = mail?.fromAddress ?? null;
export const accessLogsBucketName = accessLogs.bucketName;
export const auditTrail = audit
    ? { trailArn: audit.trailArn, bucketName: audit.bucketName, logGroupName: audit.logGroupName }
    : config.audit.trail === "existing"
      ? "relies on the account's existing trail (audit.trail: existing)"
      : null;

/** What a client needs to sign in and validate tokens: IDs and URLs, none of them secret. */
function authOutputs() {
    return auth
        ? {
              userPoolId: auth.userPoolId,
              spaClientId: auth.spaClientId,
              issuerUrl: auth.issuerUrl,
              jwksUrl: auth.jwksUrl,
              loginDomain: auth.domain,
              backendClientSecretArn: auth.backendClientSecretArn ?? null,
          }
        : null;
}
