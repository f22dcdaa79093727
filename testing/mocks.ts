import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN_SENTINEL } from "../policy/plan-types";

/**
 * The offline plan's stand-in for AWS: answers resource registrations with the inputs as state
 * plus plausible computed outputs, and answers the provider functions the program calls. Every
 * value made up here is a mock (account 123456789012, hashed IDs); the plan says so wherever it
 * prints one. Nothing here may leak into the program: components never see these types.
 * Shipped as `groundwork/testing` (testing/index.ts), so other projects' unit tests of our
 * components get the same answers as our own tests and the offline plan.
 */

/** The account every mock ARN carries, so no output can be mistaken for a real one. */
export const MOCK_ACCOUNT_ID = "123456789012";

/** A stable short hex digest: the same resource gets the same mock ID in every run. */
function digest(text: string, length: number): string {
    return crypto.createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** ID prefixes AWS uses for EC2-family resources, so mock IDs look like the real ones. */
const EC2_ID_PREFIX: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
    "aws:ec2/networkAcl:NetworkAcl": "acl",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:ec2/flowLog:FlowLog": "fl",
    "aws:ec2/instance:Instance": "i",
    "aws:ec2/securityGroupRule:SecurityGroupRule": "sgrule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
};

/**
 * IDs AWS makes up in a shape of its own, where a rule or a component reads that shape: CloudFront
 * distribution IDs are upper-case alphanumerics (`E2EXAMPLE`), VPC origin IDs `vo_…`.
 */
const SERVICE_ID: Record<string, (key: string) => string> = {
    "aws:cloudfront/distribution:Distribution": (key) => `E${digest(key, 13).toUpperCase()}`,
    "aws:cloudfront/vpcOrigin:VpcOrigin": (key) => `vo_${digest(key, 22)}`,
};

/**
 * IDs AWS assigns in a shape of its own, where the program builds on them: a user pool ID is
 * `<region>_<9 characters>` and ends up in the issuer URL; an app client ID is 26 characters; a
 * user pool domain is known by its domain.
 */
function assignedId(type: string, key: string, region: string, inputs: Record<string, unknown>): string | undefined {
    switch (type) {
        case "aws:cognito/userPool:UserPool":
            return `${region}_${digest(key, 9)}`;
        case "aws:cognito/userPoolClient:UserPoolClient":
            return digest(key, 26);
        case "aws:cognito/userPoolDomain:UserPoolDomain":
            return typeof inputs.domain === "string" ? inputs.domain : undefined;
        default:
            return undefined;
    }
}

/** The name property AWS resources are auto-named by, when it differs from `name`. */
const NAME_PROPERTY: Record<string, string> = {
    "aws:rds/instance:Instance": "identifier",
    "aws:elasticache/replicationGroup:ReplicationGroup": "replicationGroupId",
    "aws:s3/bucket:Bucket": "bucket",
    "aws:s3/bucketV2:BucketV2": "bucket",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "name",
    "aws:sesv2/emailIdentity:EmailIdentity": "emailIdentity",
    "aws:sesv2/configurationSet:ConfigurationSet": "configurationSetName",
};

/** Resource types without a name of their own (no auto-naming by the provider). */
const UNNAMED =
    /^aws:ec2\/|^aws:vpc\/|^aws:.*(Association|Attachment|Policy|Configuration|Block|Controls|Versioning|Rule|Subscription|Route|Target|Alias)[A-Za-z0-9]*$/;

/** A UUID-shaped digest, as ACM names certificates. */
function mockUuid(text: string): string {
    const h = digest(text, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A Route 53 hosted zone ID (`Z` + upper-case alphanumerics), stable per zone. */
function mockZoneId(text: string): string {
    return `Z${digest(text, 20).toUpperCase()}`;
}

/** The four delegation-set name servers Route 53 gives a public zone. */
function mockNameServers(text: string): string[] {
    const n = parseInt(digest(text, 4), 16);
    return [
        `ns-${n % 512}.awsdns-${n % 64}.com`,
        `ns-${(n + 1) % 2048}.awsdns-${(n + 1) % 64}.net`,
        `ns-${(n + 2) % 2048}.awsdns-${(n + 2) % 64}.org`,
        `ns-${(n + 3) % 2048}.awsdns-${(n + 3) % 64}.co.uk`,
    ];
}

/**
 * The CNAME ACM asks for to validate `domain` by DNS. It depends on the domain and the account
 * only: ACM gives the same record for the same name in every certificate and every region (the
 * reason two certificates for one name, e.g. one regional and one in us-east-1, share a record;
 * hashicorp/terraform-provider-aws#13653), and a wildcard shares its base name's record.
 */
function mockAcmValidation(domain: string): Record<string, string> {
    const base = domain.replace(/^\*\./, "");
    return {
        domainName: domain,
        resourceRecordName: `_${digest(`${MOCK_ACCOUNT_ID}:${base}`, 32)}.${base}.`,
        resourceRecordType: "CNAME",
        resourceRecordValue: `_${digest(`value:${base}`, 32)}.${digest(base, 10)}.acm-validations.aws.`,
    };
}

function arnFor(type: string, name: string, id: string, region: string, inputs: Record<string, unknown>): string {
    const [, module] = type.split(":");
    const service = module.split("/")[0];
    switch (service) {
        case "s3":
            return `arn:aws:s3:::${name}`;
        case "iam":
            return `arn:aws:iam::${MOCK_ACCOUNT_ID}:${type.includes("role") ? "role" : "policy"}/${name}`;
        case "sns":
        case "sqs":
            return `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}:${name}`;
        case "cloudwatch":
            switch (type) {
                case "aws:cloudwatch/logGroup:LogGroup":
                    return `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:log-group:${name}`;
                case "aws:cloudwatch/logDeliverySource:LogDeliverySource":
                    return `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:delivery-source:${name}`;
                case "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination":
                    return `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:delivery-destination:${name}`;
                case "aws:cloudwatch/logDelivery:LogDelivery":
                    return `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:delivery:${id}`;
                case "aws:cloudwatch/dashboard:Dashboard":
                    return `arn:aws:cloudwatch::${MOCK_ACCOUNT_ID}:dashboard/${name}`;
                default:
                    return `arn:aws:cloudwatch:${region}:${MOCK_ACCOUNT_ID}:alarm:${name}`;
            }
        case "cloudfront":
            // CloudFront is global: its ARNs name no region.
            return `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:${module.split("/")[1]?.split(":")[0] ?? "resource"}/${id}`;
        case "wafv2":
            // A web ACL's ARN carries its scope: global (CloudFront, always us-east-1) or regional.
            return `arn:aws:wafv2:${region}:${MOCK_ACCOUNT_ID}:${type.endsWith(":WebAcl") ? `${inputs.scope === "CLOUDFRONT" ? "global" : "regional"}/webacl/${name}/${id}` : `regional/resource/${id}`}`;
        case "rds":
            return `arn:aws:rds:${region}:${MOCK_ACCOUNT_ID}:${type.includes("instance") ? "db" : "pg"}:${name}`;
        case "kms":
            return `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/${id}`;
        case "cognito":
            // Cognito user pools sign as cognito-idp; only the pool's ARN is read by the program.
            return `arn:aws:cognito-idp:${region}:${MOCK_ACCOUNT_ID}:userpool/${id}`;
        case "secretsmanager":
            return `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:${name}-${id.slice(0, 6)}`;
        case "acm":
            return `arn:aws:acm:${region}:${MOCK_ACCOUNT_ID}:certificate/${mockUuid(id)}`;
        case "route53":
            // Hosted zones and records are global: no region or account in the ARN.
            return `arn:aws:route53:::${type.includes("zone:Zone") ? "hostedzone" : "resource"}/${id}`;
        case "ses":
        case "sesv2": {
            // SES v1 and v2 resources share the `ses` ARN namespace.
            const kind = type.includes("emailIdentity")
                ? "identity"
                : type.includes("configurationSet")
                  ? "configuration-set"
                  : type.includes("template")
                    ? "template"
                    : module.split("/")[1]?.split(":")[0];
            return `arn:aws:ses:${region}:${MOCK_ACCOUNT_ID}:${kind}/${name}`;
        }
        default:
            return `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}:${module.split("/")[1]?.split(":")[0] ?? "resource"}/${id}`;
    }
}

/** Type-specific computed outputs beyond id/arn/name, only where the program reads them. */
function computedOutputs(
    type: string,
    name: string,
    id: string,
    inputs: Record<string, unknown>,
    region: string,
): Record<string, unknown> {
    switch (type) {
        case "aws:ec2/vpc:Vpc":
            return { defaultSecurityGroupId: `sg-${digest(id, 17)}`, mainRouteTableId: `rtb-${digest(id, 17)}` };
        case "aws:kms/key:Key":
            return { keyId: id };
        case "aws:ec2/instance:Instance": {
            // The primary network interface and addresses EC2 gives an instance at launch.
            const octets = parseInt(digest(id, 4), 16);
            return {
                primaryNetworkInterfaceId: `eni-${digest(id, 17)}`,
                privateIp: `10.0.${(octets >> 8) % 256}.${(octets % 250) + 4}`,
                ...(inputs.associatePublicIpAddress === true ? { publicIp: `198.51.100.${(octets % 250) + 1}` } : {}),
            };
        }
        case "aws:rds/instance:Instance": {
            const port = inputs.port ?? 5432;
            const address = `${name}.${digest(name, 12)}.${region}.rds.amazonaws.com`;
            // With manageMasterUserPassword, RDS creates the master secret (named rds!db-<resource id>).
            const masterUserSecrets = inputs.manageMasterUserPassword
                ? [
                      {
                          secretArn: `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:rds!db-${digest(id, 8)}-${digest(id, 6)}`,
                          kmsKeyId: inputs.masterUserSecretKmsKeyId,
                          secretStatus: "active",
                      },
                  ]
                : [];
            return {
                address,
                endpoint: `${address}:${port}`,
                port,
                resourceId: `db-${digest(id, 26).toUpperCase()}`,
                masterUserSecrets,
            };
        }
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            return {
                primaryEndpointAddress: `master.${name}.${digest(name, 6)}.use1.cache.amazonaws.com`,
                readerEndpointAddress: `replica.${name}.${digest(name, 6)}.use1.cache.amazonaws.com`,
            };
        case "aws:ecr/repository:Repository":
            return {
                repositoryUrl: `${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${name}`,
                registryId: MOCK_ACCOUNT_ID,
            };
        case "aws:sqs/queue:Queue":
            return { url: `https://sqs.${region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${name}` };
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2":
            return {
                bucketDomainName: `${name}.s3.amazonaws.com`,
                bucketRegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
            };
        case "aws:lb/loadBalancer:LoadBalancer":
        case "aws:alb/loadBalancer:LoadBalancer":
            return {
                dnsName: `${name}-${digest(id, 9)}.${region}.elb.amazonaws.com`,
                arnSuffix: `app/${name}/${digest(id, 16)}`,
                zoneId: "Z35SXDOTRQ7X7K",
            };
        case "aws:lb/targetGroup:TargetGroup":
        case "aws:alb/targetGroup:TargetGroup":
            return { arnSuffix: `targetgroup/${name}/${digest(id, 16)}` };
        case "aws:cloudfront/distribution:Distribution":
            return { domainName: `${digest(id, 14)}.cloudfront.net`, hostedZoneId: "Z2FDTNDATAQYW2" };
        case "aws:sesv2/emailIdentity:EmailIdentity":
            // Easy DKIM: three tokens, from which the program derives its CNAME records.
            return {
                dkimSigningAttributes: {
                    ...(inputs.dkimSigningAttributes as Record<string, unknown> | undefined),
                    signingAttributesOrigin: "AWS_SES",
                    status: "PENDING",
                    tokens: [1, 2, 3].map((n) => digest(`${id}-dkim-${n}`, 32)),
                },
                identityType: "DOMAIN",
            };
        case "aws:ecs/cluster:Cluster":
        case "aws:ecs/service:Service":
            return {};
        case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
            // IAM names a provider after its issuer URL without the scheme.
            return {
                arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${String(inputs.url).replace(/^https:\/\//, "")}`,
            };
        case "aws:cognito/userPool:UserPool":
            return { endpoint: `cognito-idp.${region}.amazonaws.com/${id}` };
        case "aws:cognito/userPoolClient:UserPoolClient":
            // A mock secret, only for confidential clients (generateSecret), as Cognito returns one.
            return inputs.generateSecret === true ? { clientSecret: `mock-client-secret-${digest(id, 40)}` } : {};
        case "aws:cognito/userPoolDomain:UserPoolDomain":
            return {
                cloudfrontDistribution: `${digest(id, 14)}.cloudfront.net`,
                cloudfrontDistributionArn: `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:distribution/${digest(id, 14).toUpperCase()}`,
                cloudfrontDistributionZoneId: "Z2FDTNDATAQYW2",
                awsAccountId: MOCK_ACCOUNT_ID,
            };
        case "aws:cognito/managedLoginBranding:ManagedLoginBranding":
            return { managedLoginBrandingId: digest(id, 32) };
        case "aws:route53/zone:Zone":
            return { zoneId: mockZoneId(id), nameServers: mockNameServers(id) };
        case "aws:route53/record:Record":
            // The provider reports the name without the trailing dot, lower-cased.
            return { fqdn: String(inputs.name).replace(/\.$/, "").toLowerCase() };
        case "aws:acm/certificate:Certificate": {
            const names = [inputs.domainName, ...((inputs.subjectAlternativeNames as unknown[] | undefined) ?? [])];
            return { domainValidationOptions: [...new Set(names.map(String))].map(mockAcmValidation) };
        }
        case "random:index/randomPassword:RandomPassword":
        case "random:index/randomString:RandomString":
            // A mock secret: deterministic, and never a value anyone could use.
            return {
                result: `mock-${digest(name, Number(inputs.length ?? 32))}`.slice(0, Number(inputs.length ?? 32)),
            };
        case "random:index/randomId:RandomId":
            return { hex: digest(name, Number(inputs.byteLength ?? 4) * 2), b64Url: digest(name, 8) };
        default:
            return {};
    }
}

/**
 * Mock answers for the provider functions the program calls. An unknown function is an error
 * naming it: a silent `{}` would let the program run on values no provider would give.
 */
function callResult(token: string, inputs: Record<string, unknown>, region: string): Record<string, unknown> {
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                accountId: MOCK_ACCOUNT_ID,
                arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/offline-plan`,
                userId: "AIDAOFFLINEPLAN",
                id: MOCK_ACCOUNT_ID,
            };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
        case "aws:index/getRegion:getRegion": {
            const name = (inputs.region as string | undefined) ?? region;
            return { name, region: name, id: name, endpoint: `ec2.${name}.amazonaws.com`, description: name };
        }
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return {
                names: ["a", "b", "c"].map((s) => `${region}${s}`),
                zoneIds: [1, 2, 3].map((n) => `use1-az${n}`),
                id: region,
                groupNames: [region],
            };
        case "aws:ec2/getManagedPrefixList:getManagedPrefixList": {
            // AWS-managed lists (CloudFront's origin-facing one) exist in every region; the ID is a mock.
            const name = (inputs.name as string | undefined) ?? "mock-prefix-list";
            const id = (inputs.id as string | undefined) ?? `pl-${digest(`${region}/${name}`, 8)}`;
            return {
                id,
                name,
                arn: `arn:aws:ec2:${region}:aws:prefix-list/${id}`,
                addressFamily: name.includes("ipv6") ? "IPv6" : "IPv4",
                maxEntries: 55,
                ownerId: "AWS",
                version: 1,
                entries: [],
                tags: {},
            };
        }
        case "aws:ssm/getParameter:getParameter": {
            // AWS's public parameters (latest AMI IDs) exist in every region; anything else would
            // be a parameter of the account, which the offline plan does not have.
            const name = String(inputs.name ?? "");
            if (!name.startsWith("/aws/service/ami-amazon-linux-latest/")) {
                throw new Error(`ParameterNotFound: the offline plan has no SSM parameter ${name}`);
            }
            const value = `ami-${digest(`${region}${name}`, 17)}`;
            return {
                // Public parameters are owned by AWS: no account in the ARN.
                arn: `arn:aws:ssm:${region}::parameter${name}`,
                id: name,
                name,
                region,
                type: "String",
                value,
                insecureValue: value,
                version: 1,
                withDecryption: inputs.withDecryption ?? true,
            };
        }
        case "aws:route53/getZone:getZone": {
            // A public zone of this account named as asked; a real lookup fails when none matches.
            const name = String(inputs.name ?? "")
                .replace(/\.$/, "")
                .toLowerCase();
            if (!name) {
                throw new Error("the offline plan's getZone mock answers lookups by name only");
            }
            if (inputs.privateZone === true) {
                // As a real lookup fails when nothing matches: the offline account has no private zones.
                throw new Error(`no matching Route 53 Hosted Zone found: the offline plan has no private zone ${name}`);
            }
            const zoneId = mockZoneId(`lookup:${name}`);
            return {
                id: zoneId,
                zoneId,
                name,
                arn: `arn:aws:route53:::hostedzone/${zoneId}`,
                nameServers: mockNameServers(zoneId),
                primaryNameServer: mockNameServers(zoneId)[0],
                privateZone: false,
                comment: "",
                callerReference: digest(name, 16),
                resourceRecordSetCount: 2,
                linkedServiceDescription: "",
                linkedServicePrincipal: "",
                tags: {},
            };
        }
        default:
            throw new Error(
                `the offline plan has no mock answer for provider function ${token}; add one to testing/mocks.ts`,
            );
    }
}

function isRecord(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface MockOptions {
    /**
     * Answer as a first `pulumi preview` does, before anything exists: IDs, ARNs, endpoints and
     * names AWS assigns (from a name prefix) are unknown. Names the provider derives itself
     * (Pulumi auto-naming) stay known, as they are in a real preview.
     */
    unknownComputed?: boolean;
}

/**
 * Builds the mocks for one stack. `region` is the stack's `aws:region`; ARNs and endpoints use it.
 * The provider functions our components call (`getCallerIdentity`, `getPartition`, `getRegion`,
 * `getAvailabilityZones`, `getManagedPrefixList`, `route53.getZone`) are answered; any other is an
 * error naming it, so a test never runs on values no provider would give.
 */
export function createMocks(region = "us-east-1", options: MockOptions = {}): pulumi.runtime.Mocks {
    return {
        newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
            const inputs = (args.inputs ?? {}) as Record<string, unknown>;
            if (args.type.startsWith("pulumi:providers:")) {
                return { id: `${args.name}-provider-id`, state: inputs };
            }
            const key = `${args.type}::${args.name}`;
            const prefix = EC2_ID_PREFIX[args.type];
            const nameProperty = NAME_PROPERTY[args.type] ?? "name";
            // A name prefix (`namePrefix`, S3's `bucketPrefix`) is what AWS names the resource after.
            const physicalPrefix = (inputs.namePrefix ?? inputs.bucketPrefix) as string | undefined;
            const autoName = physicalPrefix
                ? `${physicalPrefix}${digest(key, 26)}`
                : `${args.name}-${digest(key, 7)}`.toLowerCase();
            const name = (inputs[nameProperty] as string | undefined) ?? autoName;
            const id =
                SERVICE_ID[args.type]?.(key) ??
                assignedId(args.type, key, region, inputs) ??
                (prefix ? `${prefix}-${digest(key, 17)}` : args.type.startsWith("aws:") ? name : digest(key, 16));
            const state: Record<string, unknown> = { ...inputs };
            if (!UNNAMED.test(args.type) && inputs[nameProperty] === undefined && args.type.startsWith("aws:")) {
                state[nameProperty] = name;
            }
            // A resource created in another region (the AWS provider v7 per-resource `region`) is
            // named there, as in AWS.
            const where = typeof inputs.region === "string" ? inputs.region : region;
            const computed: Record<string, unknown> = {
                arn: state.arn ?? arnFor(args.type, name, id, where, inputs),
                ...computedOutputs(args.type, name, id, inputs, where),
            };
            if (physicalPrefix && inputs[nameProperty] === undefined) {
                computed[nameProperty] = name;
            }
            if (options.unknownComputed) {
                // An empty ID and the unknown marker are how the engine says "known after create".
                for (const k of Object.keys(computed)) {
                    if (!(k in inputs)) {
                        computed[k] = UNKNOWN_SENTINEL;
                    } else if (isRecord(computed[k]) && isRecord(inputs[k])) {
                        // A block the program sets in part (SES's dkimSigningAttributes): what AWS
                        // fills in is unknown, what the program gave stays known.
                        const given = inputs[k] as Record<string, unknown>;
                        computed[k] = Object.fromEntries(
                            Object.entries(computed[k] as Record<string, unknown>).map(([f, v]) => [
                                f,
                                f in given ? v : UNKNOWN_SENTINEL,
                            ]),
                        );
                    }
                }
                return { id: "", state: { ...state, ...computed } };
            }
            return { id, state: { ...state, ...computed } };
        },
        call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
            return callResult(args.token, (args.inputs ?? {}) as Record<string, unknown>, region);
        },
    };
}
