import { expect } from "chai";
import {
    decided,
    doc,
    evaluate,
    expectClean,
    expectDeferred,
    expectViolation,
    goodDbProps,
    goodRedisProps,
    link,
    res,
    T,
    U,
} from "./fixtures";

const ALB_TAGS = { "groundwork:role": "public-alb" };
const web = (port: number, cidr = "0.0.0.0/0") => ({
    protocol: "tcp",
    fromPort: port,
    toPort: port,
    cidrBlocks: [cidr],
});

describe("policy family: network", () => {
    describe("net-rds-private", () => {
        it("passes a private instance in a subnet group", () => {
            expectClean(evaluate([res(T.rds, "db", goodDbProps())]), "net-rds-private");
        });

        it("flags a public instance without a subnet group", () => {
            const report = evaluate([
                res(T.rds, "db", goodDbProps({ publiclyAccessible: true, dbSubnetGroupName: undefined })),
            ]);
            expectViolation(report, "net-rds-private", "publiclyAccessible is true");
            expectViolation(report, "net-rds-private", "dbSubnetGroupName is not set");
        });

        it("defers an unknown publiclyAccessible", () => {
            expectDeferred(
                evaluate([res(T.rds, "db", goodDbProps({ publiclyAccessible: U }))]),
                "net-rds-private",
                "publiclyAccessible",
            );
        });
    });

    describe("net-db-subnets-private", () => {
        const subnet = (name: string, tier: string, mapPublic = false) =>
            res(T.subnet, name, { vpcId: U, cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: mapPublic, tags: { tier } });

        it("passes a database and a cache in groups of isolated subnets", () => {
            const a = subnet("iso-1", "isolated");
            const b = subnet("iso-2", "isolated");
            const dbGroup = link(res(T.rdsSubnetGroup, "db-subnets", { subnetIds: [U, U] }), "subnetIds", a, b);
            const cacheGroup = link(res(T.cacheSubnetGroup, "cache-subnets", { subnetIds: [U, U] }), "subnetIds", a, b);
            const db = link(res(T.rds, "db", goodDbProps()), "dbSubnetGroupName", dbGroup);
            const cache = link(res(T.redis, "cache", goodRedisProps()), "subnetGroupName", cacheGroup);
            expectClean(evaluate([a, b, dbGroup, cacheGroup, db, cache]), "net-db-subnets-private");
        });

        it("flags a group with a public subnet, a missing group and the default group", () => {
            const pub = subnet("public-1", "public", true);
            const group = link(res(T.rdsSubnetGroup, "db-subnets", { subnetIds: [U] }), "subnetIds", pub);
            const db = link(res(T.rds, "db", goodDbProps()), "dbSubnetGroupName", group);
            const cache = res(T.redis, "cache", goodRedisProps({ subnetGroupName: undefined }));
            const legacy = res(T.rds, "legacy", goodDbProps({ dbSubnetGroupName: "default" }));
            const report = evaluate([pub, group, db, cache, legacy]);
            expectViolation(report, "net-db-subnets-private", "maps public IPs on launch", db.urn);
            expectViolation(report, "net-db-subnets-private", "tagged as the public tier", db.urn);
            expectViolation(report, "net-db-subnets-private", "has no subnetGroupName", cache.urn);
            expectViolation(report, "net-db-subnets-private", '"default" subnet group', legacy.urn);
        });

        it("defers subnets whose flags are unknown", () => {
            const s = res(T.subnet, "s", { vpcId: U, mapPublicIpOnLaunch: U, tags: { tier: "isolated" } });
            const group = link(res(T.rdsSubnetGroup, "g", { subnetIds: [U] }), "subnetIds", s);
            const db = link(res(T.rds, "db", goodDbProps()), "dbSubnetGroupName", group);
            expectDeferred(evaluate([s, group, db]), "net-db-subnets-private", "s.mapPublicIpOnLaunch");
        });
    });

    describe("net-sg-ingress", () => {
        it("lets only the public ALB's group open 80/443 to the world", () => {
            const alb = res(T.sg, "alb-sg", { tags: ALB_TAGS, ingress: [web(80), web(443), web(443, "::/0")] });
            const app = res(T.sg, "app-sg", {
                ingress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: [U] }],
            });
            expectClean(evaluate([alb, app]), "net-sg-ingress");
        });

        it("flags 443 open to the world on an untagged group", () => {
            const sg = res(T.sg, "app-sg", { ingress: [web(443)] });
            expectViolation(evaluate([sg]), "net-sg-ingress", "ingress[0] opens port 443 to the world", sg.urn);
        });

        it("flags ::/0 as open as 0.0.0.0/0, naming SSH", () => {
            const sg = res(T.sg, "bastion", {
                ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/0"] }],
            });
            expectViolation(evaluate([sg]), "net-sg-ingress", "22/SSH");
        });

        it("flags protocol -1 even on the ALB's group", () => {
            const sg = res(T.sg, "alb-sg", {
                tags: ALB_TAGS,
                ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
            });
            expectViolation(evaluate([sg]), "net-sg-ingress", "all protocols and ports");
        });

        it("flags a 0-65535 range because it covers 5432", () => {
            const sg = res(T.sg, "wide", {
                ingress: [{ protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }],
            });
            expectViolation(evaluate([sg]), "net-sg-ingress", "5432/PostgreSQL");
        });

        it("flags world-open rule resources (SecurityGroupRule and vpc.SecurityGroupIngressRule)", () => {
            const rule = res(T.sgRule, "rdp", {
                type: "ingress",
                securityGroupId: U,
                protocol: "tcp",
                fromPort: 3389,
                toPort: 3389,
                cidrBlocks: ["0.0.0.0/0"],
            });
            const v6 = res(T.ingressRule, "redis", {
                securityGroupId: U,
                ipProtocol: "tcp",
                fromPort: 6379,
                toPort: 6379,
                cidrIpv6: "::/0",
            });
            const egress = res(T.sgRule, "out", {
                type: "egress",
                securityGroupId: U,
                protocol: "-1",
                fromPort: 0,
                toPort: 0,
                cidrBlocks: ["0.0.0.0/0"],
            });
            const report = evaluate([rule, v6, egress]);
            expectViolation(report, "net-sg-ingress", "3389/RDP", rule.urn);
            expectViolation(report, "net-sg-ingress", "6379/Redis", v6.urn);
            expectClean(report, "net-sg-ingress", egress.urn);
        });

        it("reads allowed ports from config", () => {
            const sg = res(T.sg, "alb-sg", { tags: ALB_TAGS, ingress: [web(80)] });
            expectViolation(
                evaluate([sg], { "net-sg-ingress": { allowedPublicPorts: [443] } }),
                "net-sg-ingress",
                "port 80",
            );
        });

        it("defers unknown CIDRs", () => {
            const sg = res(T.sg, "sg", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: U }] });
            expectDeferred(evaluate([sg]), "net-sg-ingress", "ingress[0] CIDRs");
        });
    });

    describe("net-sg-ingress-public-alb", () => {
        it("passes a world-open 443 rule attached to the public ALB's group", () => {
            const alb = res(T.sg, "alb-sg", { tags: ALB_TAGS });
            const rule = link(
                res(T.ingressRule, "alb-https", {
                    securityGroupId: U,
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    cidrIpv4: "0.0.0.0/0",
                }),
                "securityGroupId",
                alb,
            );
            const report = evaluate([alb, rule]);
            expectClean(report, "net-sg-ingress-public-alb");
            expectClean(report, "net-sg-ingress");
        });

        it("flags the same rule attached to another group, or to a group outside the stack", () => {
            const app = res(T.sg, "app-sg", { tags: { "groundwork:role": "app" } });
            const rule = link(
                res(T.sgRule, "app-https", {
                    type: "ingress",
                    securityGroupId: U,
                    protocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    cidrBlocks: ["0.0.0.0/0"],
                }),
                "securityGroupId",
                app,
            );
            const external = res(T.ingressRule, "ext-http", {
                securityGroupId: "sg-0123456789abcdef0",
                ipProtocol: "tcp",
                fromPort: 80,
                toPort: 80,
                cidrIpv4: "0.0.0.0/0",
            });
            const report = evaluate([app, rule, external]);
            expectViolation(report, "net-sg-ingress-public-alb", "not tagged groundwork:role=public-alb", rule.urn);
            expectViolation(report, "net-sg-ingress-public-alb", "not in this stack", external.urn);
        });

        it("defers when the attached group's tags are unknown", () => {
            const sg = res(T.sg, "sg", { tags: U });
            const rule = link(
                res(T.ingressRule, "r", {
                    securityGroupId: U,
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    cidrIpv4: "0.0.0.0/0",
                }),
                "securityGroupId",
                sg,
            );
            expectDeferred(evaluate([sg, rule]), "net-sg-ingress-public-alb", "sg.tags");
        });
    });

    describe("net-sg-db-from-sg", () => {
        it("passes database ingress from a source security group", () => {
            const app = res(T.sg, "app-sg");
            const rule = link(
                res(T.ingressRule, "db-from-app", {
                    securityGroupId: U,
                    ipProtocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    referencedSecurityGroupId: U,
                }),
                "referencedSecurityGroupId",
                app,
            );
            const inline = res(T.sg, "cache-sg", {
                ingress: [{ protocol: "tcp", fromPort: 6379, toPort: 6379, securityGroups: [U] }],
            });
            expectClean(evaluate([app, rule, inline]), "net-sg-db-from-sg");
        });

        it("flags CIDR sources on 5432, a 0-65535 range, and protocol -1", () => {
            const cidr = res(T.sgRule, "db-from-vpc", {
                type: "ingress",
                securityGroupId: U,
                protocol: "tcp",
                fromPort: 5432,
                toPort: 5432,
                cidrBlocks: ["10.0.0.0/16"],
            });
            const wide = res(T.sg, "wide", {
                ingress: [{ protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["10.0.0.0/8"] }],
            });
            const all = res(T.ingressRule, "all", { securityGroupId: U, ipProtocol: "-1", cidrIpv4: "10.1.0.0/16" });
            const report = evaluate([cidr, wide, all]);
            expectViolation(report, "net-sg-db-from-sg", '5432 from CIDR "10.0.0.0/16"', cidr.urn);
            expectViolation(report, "net-sg-db-from-sg", "5432/6379", wide.urn);
            expectViolation(report, "net-sg-db-from-sg", "from CIDR", all.urn);
        });

        it("adds a database's custom port to the checked ports", () => {
            const db = res(T.rds, "db", goodDbProps({ port: 6543 }));
            const rule = res(T.ingressRule, "custom", {
                securityGroupId: U,
                ipProtocol: "tcp",
                fromPort: 6543,
                toPort: 6543,
                cidrIpv4: "10.0.0.0/16",
            });
            expectViolation(evaluate([db, rule]), "net-sg-db-from-sg", "6543");
        });

        it("defers unknown ports on a CIDR rule", () => {
            const rule = res(T.ingressRule, "r", {
                securityGroupId: U,
                ipProtocol: "tcp",
                fromPort: U,
                toPort: U,
                cidrIpv4: "10.0.0.0/16",
            });
            expectDeferred(evaluate([rule]), "net-sg-db-from-sg", "r ports");
        });
    });

    describe("net-default-sg (advisory)", () => {
        it("passes a VPC whose default group is adopted empty", () => {
            const vpc = res(T.vpc, "vpc", { cidrBlock: "10.0.0.0/16" });
            const d = link(res(T.defaultSg, "default", { vpcId: U }), "vpcId", vpc);
            expectClean(evaluate([vpc, d]), "net-default-sg");
        });

        it("flags a VPC without one, and leaves a default group's rules to net-default-sg-rules", () => {
            const bare = res(T.vpc, "bare", {});
            const vpc = res(T.vpc, "vpc", {});
            const d = link(
                res(T.defaultSg, "default", {
                    vpcId: U,
                    egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
                }),
                "vpcId",
                vpc,
            );
            const report = evaluate([bare, vpc, d]);
            expect(expectViolation(report, "net-default-sg", "allow-all rules", bare.urn).enforcementLevel).to.equal(
                "advisory",
            );
            // One finding per problem: the rules are reported once, by the mandatory rule.
            expectClean(report, "net-default-sg", d.urn);
            expectViolation(report, "net-default-sg-rules", "1 egress rule", d.urn);
        });

        it("does not look at an adopted group's rules, even unknown ones", () => {
            const vpc = res(T.vpc, "vpc", {});
            const d = link(res(T.defaultSg, "default", { vpcId: U, ingress: U }), "vpcId", vpc);
            expectClean(evaluate([vpc, d]), "net-default-sg");
        });
    });

    describe("net-ecs-no-public-ip", () => {
        it("passes a service without public IPs", () => {
            expectClean(
                evaluate([res(T.service, "svc", { networkConfiguration: { subnets: [U], assignPublicIp: false } })]),
                "net-ecs-no-public-ip",
            );
        });

        it("flags assignPublicIp: true", () => {
            expectViolation(
                evaluate([res(T.service, "svc", { networkConfiguration: { subnets: [U], assignPublicIp: true } })]),
                "net-ecs-no-public-ip",
                "assignPublicIp is true",
            );
        });

        it("defers an unknown assignPublicIp", () => {
            expectDeferred(
                evaluate([res(T.service, "svc", { networkConfiguration: { subnets: [U], assignPublicIp: U } })]),
                "net-ecs-no-public-ip",
                "assignPublicIp",
            );
        });
    });

    describe("net-ec2-instance", () => {
        const imdsV2 = { metadataOptions: { httpEndpoint: "enabled", httpTokens: "required" } };

        it("passes a private instance that requires IMDSv2", () => {
            expectClean(evaluate([res(T.ec2Instance, "box", { ...imdsV2, subnetId: U })]), "net-ec2-instance");
        });

        it("passes a NAT instance's public IP: it forwards (sourceDestCheck false), the one explicit exception", () => {
            const nat = { ...imdsV2, associatePublicIpAddress: true, sourceDestCheck: false };
            expectClean(evaluate([res(T.ec2Instance, "nat", nat)]), "net-ec2-instance");
        });

        it("flags IMDSv1 (httpTokens optional or unset)", () => {
            for (const metadataOptions of [{ httpTokens: "optional" }, undefined]) {
                expectViolation(
                    evaluate([res(T.ec2Instance, "box", { metadataOptions })]),
                    "net-ec2-instance",
                    'metadataOptions.httpTokens is not "required"',
                );
            }
        });

        it("flags a public IP on an instance that does not forward traffic", () => {
            for (const sourceDestCheck of [true, undefined]) {
                expectViolation(
                    evaluate([
                        res(T.ec2Instance, "box", { ...imdsV2, associatePublicIpAddress: true, sourceDestCheck }),
                    ]),
                    "net-ec2-instance",
                    "associatePublicIpAddress is true on an instance that does not forward traffic",
                );
            }
        });

        it("defers unknown metadata options and an unknown public IP with an unknown check", () => {
            expectDeferred(
                evaluate([res(T.ec2Instance, "box", { metadataOptions: U })]),
                "net-ec2-instance",
                "metadataOptions.httpTokens",
            );
            expectDeferred(
                evaluate([res(T.ec2Instance, "box", { ...imdsV2, associatePublicIpAddress: U, sourceDestCheck: U })]),
                "net-ec2-instance",
                "associatePublicIpAddress",
            );
        });
    });

    describe("net-s3-bpa", () => {
        const allBlocked = {
            bucket: U,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        };

        it("passes a bucket with a full public access block and enforced ownership", () => {
            const b = res(T.bucketV2, "data");
            const pab = link(res(T.pab, "data-pab", allBlocked), "bucket", b);
            const own = link(
                res(T.ownership, "data-own", { bucket: U, rule: { objectOwnership: "BucketOwnerEnforced" } }),
                "bucket",
                b,
            );
            expectClean(evaluate([b, pab, own]), "net-s3-bpa");
        });

        it("flags a missing block, a partial block, ACL-enabling ownership and a public ACL", () => {
            const none = res(T.bucket, "none", { acl: "public-read" });
            const partial = res(T.bucket, "partial");
            const pab = link(
                res(T.pab, "partial-pab", { ...allBlocked, restrictPublicBuckets: false }),
                "bucket",
                partial,
            );
            const own = link(
                res(T.ownership, "partial-own", { bucket: U, rule: { objectOwnership: "ObjectWriter" } }),
                "bucket",
                partial,
            );
            const report = evaluate([none, partial, pab, own]);
            expectViolation(report, "net-s3-bpa", "has no public access block", none.urn);
            expectViolation(report, "net-s3-bpa", 'acl "public-read"', none.urn);
            expectViolation(report, "net-s3-bpa", "restrictPublicBuckets", partial.urn);
            expectViolation(report, "net-s3-bpa", "ObjectWriter", own.urn);
        });

        it("defers unknown flags", () => {
            const b = res(T.bucket, "data");
            const pab = link(res(T.pab, "data-pab", { ...allBlocked, blockPublicPolicy: U }), "bucket", b);
            expectDeferred(evaluate([b, pab]), "net-s3-bpa", "data public access block flags");
        });
    });

    describe("net-cf-oac", () => {
        const cdn = (origins: unknown[], extra: Record<string, unknown> = {}) =>
            res(T.cdn, "cdn", {
                enabled: true,
                origins,
                defaultCacheBehavior: { viewerProtocolPolicy: "redirect-to-https" },
                viewerCertificate: { cloudfrontDefaultCertificate: true },
                webAclId: U,
                ...extra,
            });

        it("passes S3 origins with OAC and a WAF", () => {
            expectClean(
                evaluate([
                    cdn([
                        {
                            originId: "s3",
                            domainName: U,
                            originAccessControlId: U,
                            s3OriginConfig: { originAccessIdentity: "" },
                        },
                    ]),
                ]),
                "net-cf-oac",
            );
        });

        it("flags an S3 origin without OAC (by domain) and a prod distribution without WAF", () => {
            const report = evaluate(
                [cdn([{ originId: "s3", domainName: "assets.s3.eu-west-1.amazonaws.com" }], { webAclId: undefined })],
                { "net-cf-oac": { environment: "prod" } },
            );
            expectViolation(report, "net-cf-oac", "origin s3 is an S3 origin without originAccessControlId");
            expectViolation(report, "net-cf-oac", "webAclId is not set");
        });

        it("doesn't require a WAF in dev", () => {
            const report = evaluate(
                [
                    cdn(
                        [
                            {
                                originId: "app",
                                domainName: U,
                                customOriginConfig: { originProtocolPolicy: "https-only" },
                            },
                        ],
                        { webAclId: undefined },
                    ),
                ],
                { "net-cf-oac": { environment: "dev" } },
            );
            expectClean(report, "net-cf-oac");
        });

        it("flags an S3 origin without OAC whose domain is a bucket's output (known by the edge)", () => {
            const bucket = res(T.bucketV2, "assets", {});
            const dist = link(cdn([{ originId: "assets", domainName: U }]), "origins", bucket);
            expectViolation(
                evaluate([bucket, dist]),
                "net-cf-oac",
                "origin assets is an S3 origin without originAccessControlId",
                dist.urn,
            );
        });

        it("defers an origin whose domain is unknown and has neither OAC nor a custom config", () => {
            expectDeferred(evaluate([cdn([{ originId: "x", domainName: U }])]), "net-cf-oac", "origin x.domainName");
        });
    });

    describe("net-resource-policies", () => {
        const everyone = (extra: Record<string, unknown> = {}) => ({
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "sqs:SendMessage",
            Resource: "*",
            ...extra,
        });

        it("passes named principals and a wildcard scoped by aws:SourceArn", () => {
            const scoped = res(T.queuePolicy, "q", {
                queueUrl: U,
                policy: doc(everyone({ Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:eu-west-1:1:t" } } })),
            });
            const named = res(T.topicPolicy, "t", {
                arn: U,
                policy: doc({
                    Effect: "Allow",
                    Principal: { Service: "cloudwatch.amazonaws.com" },
                    Action: "sns:Publish",
                    Resource: "*",
                }),
            });
            const denyAll = res(T.bucketPolicy, "b", {
                bucket: U,
                policy: JSON.stringify({
                    Statement: { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*" },
                }),
            });
            expectClean(evaluate([scoped, named, denyAll]), "net-resource-policies");
        });

        it('flags {AWS: "*"} without a condition and "*" with an unrelated one (Statement as a single object)', () => {
            const open = res(T.queuePolicy, "open", { queueUrl: U, policy: JSON.stringify({ Statement: everyone() }) });
            const weak = res(T.ecrPolicy, "weak", {
                repository: U,
                policy: doc({
                    Effect: "Allow",
                    Principal: "*",
                    Action: "ecr:BatchGetImage",
                    Condition: { StringEquals: { "aws:UserAgent": "x" } },
                }),
            });
            const keyPolicy = res(T.kms, "key", {
                enableKeyRotation: true,
                policy: {
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { AWS: ["arn:aws:iam::1:root", "*"] },
                            Action: "kms:*",
                            Resource: "*",
                        },
                    ],
                },
            });
            const report = evaluate([open, weak, keyPolicy]);
            expectViolation(report, "net-resource-policies", 'Principal "*" without a scoping condition', open.urn);
            expectViolation(report, "net-resource-policies", "without a scoping condition", weak.urn);
            expectViolation(report, "net-resource-policies", "Statement[0]", keyPolicy.urn);
        });

        it("checks inline queue/topic/bucket policies and rejects invalid JSON", () => {
            const q = res(T.queue, "q", { policy: doc(everyone()) });
            const broken = res(T.topicPolicy, "broken", { arn: U, policy: "{" });
            const report = evaluate([q, broken]);
            expectViolation(report, "net-resource-policies", "without a scoping condition", q.urn);
            expectViolation(report, "net-resource-policies", "not valid JSON", broken.urn);
        });

        it("defers an unknown document", () => {
            expectDeferred(
                evaluate([res(T.bucketPolicy, "b", { bucket: U, policy: U })]),
                "net-resource-policies",
                "policy document",
            );
        });
    });

    describe("net-alb-scheme", () => {
        const alb = (props: Record<string, unknown>) => ({
            loadBalancerType: "application",
            dropInvalidHeaderFields: true,
            subnets: [U, U],
            ...props,
        });

        it("passes the tagged public ALB and an internal one, on aws:lb and aws:alb tokens", () => {
            const report = evaluate([
                res(T.lb, "public", alb({ internal: false, tags: ALB_TAGS })),
                res(T.alb, "internal", alb({ internal: true })),
            ]);
            expectClean(report, "net-alb-scheme");
        });

        it("flags an untagged internet-facing ALB, kept headers and monitor desync mode", () => {
            const lb = res(T.alb, "exposed", alb({ dropInvalidHeaderFields: false, desyncMitigationMode: "monitor" }));
            const report = evaluate([lb]);
            expectViolation(report, "net-alb-scheme", "internet-facing");
            expectViolation(report, "net-alb-scheme", "dropInvalidHeaderFields is false");
            expectViolation(report, "net-alb-scheme", '"monitor"');
        });

        it("allows names listed in config", () => {
            expectClean(
                evaluate([res(T.lb, "edge", alb({}))], { "net-alb-scheme": { publicLoadBalancers: ["edge"] } }),
                "net-alb-scheme",
            );
        });

        it("defers an unknown scheme", () => {
            expectDeferred(evaluate([res(T.lb, "lb", alb({ internal: U }))]), "net-alb-scheme", "internal");
        });
    });

    describe("net-cognito-guest", () => {
        it("passes a pool without guest access", () => {
            expectClean(
                evaluate([
                    res(T.identityPool, "ids", { identityPoolName: "ids", allowUnauthenticatedIdentities: false }),
                ]),
                "net-cognito-guest",
            );
        });

        it("flags guest access (also given as a string)", () => {
            expectViolation(
                evaluate([
                    res(T.identityPool, "ids", { identityPoolName: "ids", allowUnauthenticatedIdentities: "true" }),
                ]),
                "net-cognito-guest",
                "allowUnauthenticatedIdentities is true",
            );
        });

        it("defers an unknown flag", () => {
            const report = evaluate([
                res(T.identityPool, "ids", { identityPoolName: "ids", allowUnauthenticatedIdentities: U }),
            ]);
            expectDeferred(report, "net-cognito-guest", "allowUnauthenticatedIdentities");
            expect(decided(report, "net-cognito-guest")).to.deep.equal([]);
        });
    });
});
