import { expect } from "chai";
import {
    decided,
    dependsOn,
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
    violationsOf,
} from "./fixtures";

describe("policy family: encryption", () => {
    describe("enc-rds-storage", () => {
        it("passes an encrypted instance with CMKs (unknown key ARNs count as set)", () => {
            const db = res(T.rds, "db", goodDbProps());
            expectClean(evaluate([db]), "enc-rds-storage");
        });

        it("flags unencrypted storage, the AWS-managed key and Performance Insights without a key", () => {
            const db = res(
                T.rds,
                "db",
                goodDbProps({ storageEncrypted: false, kmsKeyId: undefined, performanceInsightsKmsKeyId: undefined }),
            );
            const report = evaluate([db]);
            expectViolation(report, "enc-rds-storage", "storageEncrypted is false", db.urn);
            expectViolation(report, "enc-rds-storage", "kmsKeyId is not set");
            expectViolation(report, "enc-rds-storage", "performanceInsightsKmsKeyId");
            expect(violationsOf(report, "enc-rds-storage")[0].enforcementLevel).to.equal("mandatory");
        });

        it("passes a same-region read replica without kmsKeyId (it uses its source's key) but flags a cross-region one", () => {
            const source = "arn:aws:rds:us-east-1:123456789012:db:app-db";
            const replica = res(T.rds, "replica", goodDbProps({ kmsKeyId: undefined, replicateSourceDb: source }));
            expectClean(evaluate([replica]), "enc-rds-storage");
            const unknownSource = res(T.rds, "replica", goodDbProps({ kmsKeyId: undefined, replicateSourceDb: U }));
            expectClean(evaluate([unknownSource]), "enc-rds-storage");
            const euWest1 = res("pulumi:providers:aws", "eu-west-1", { region: "eu-west-1" });
            const remote = res(T.rds, "replica", goodDbProps({ kmsKeyId: undefined, replicateSourceDb: source }), {
                options: { provider: `${euWest1.urn}::${U}` },
            });
            expectViolation(evaluate([euWest1, remote]), "enc-rds-storage", "cross-region read replica");
            const ownRegion = res(
                T.rds,
                "replica",
                goodDbProps({ kmsKeyId: undefined, replicateSourceDb: source, region: "eu-west-1" }),
            );
            expectViolation(evaluate([ownRegion]), "enc-rds-storage", "cross-region read replica");
        });

        it('reads the string "true" as true', () => {
            expectClean(evaluate([res(T.rds, "db", goodDbProps({ storageEncrypted: "true" }))]), "enc-rds-storage");
        });

        it("defers an unknown storageEncrypted instead of passing it", () => {
            const report = evaluate([res(T.rds, "db", goodDbProps({ storageEncrypted: U }))]);
            expectDeferred(report, "enc-rds-storage", "storageEncrypted");
            expect(decided(report, "enc-rds-storage")).to.deep.equal([]);
        });

        it("still decides the key while deferring the flag", () => {
            const report = evaluate([res(T.rds, "db", goodDbProps({ storageEncrypted: U, kmsKeyId: undefined }))]);
            expectViolation(report, "enc-rds-storage", "kmsKeyId is not set");
            expectDeferred(report, "enc-rds-storage", "storageEncrypted");
        });
    });

    describe("enc-rds-tls", () => {
        const forceSsl = (value: string) =>
            res(T.paramGroup, "pg", {
                family: "postgres16",
                name: "app-pg",
                parameters: [{ name: "rds.force_ssl", value }],
            });

        it("passes a PostgreSQL instance whose linked parameter group forces SSL", () => {
            const pg = forceSsl("1");
            const db = link(res(T.rds, "db", goodDbProps()), "parameterGroupName", pg);
            expectClean(evaluate([pg, db]), "enc-rds-tls");
        });

        it("flags a linked group without rds.force_ssl = 1", () => {
            const pg = forceSsl("0");
            const db = link(res(T.rds, "db", goodDbProps()), "parameterGroupName", pg);
            expectViolation(evaluate([pg, db]), "enc-rds-tls", "does not set rds.force_ssl", db.urn);
        });

        it("finds the group by literal name too", () => {
            const pg = res(T.paramGroup, "pg", { family: "postgres16", name: "app-pg", parameters: [] });
            const db = res(T.rds, "db", goodDbProps({ parameterGroupName: "app-pg" }));
            expectViolation(evaluate([pg, db]), "enc-rds-tls", "rds.force_ssl");
        });

        it("uses require_secure_transport for MySQL", () => {
            const pg = res(T.paramGroup, "pg", {
                family: "mysql8.0",
                parameters: [{ name: "require_secure_transport", value: "ON" }],
            });
            const db = link(
                res(T.rds, "db", goodDbProps({ engine: "mysql", enabledCloudwatchLogsExports: [] })),
                "parameterGroupName",
                pg,
            );
            expectClean(evaluate([pg, db]), "enc-rds-tls");
        });

        it("defers when the group's parameters are unknown", () => {
            const pg = res(T.paramGroup, "pg", { family: "postgres16", parameters: U });
            const db = link(res(T.rds, "db", goodDbProps()), "parameterGroupName", pg);
            expectDeferred(evaluate([pg, db]), "enc-rds-tls", "pg.parameters");
        });
    });

    describe("enc-rds-tls-custom-group (advisory)", () => {
        it("passes an instance with a parameter group (unknown name counts as set)", () => {
            expectClean(
                evaluate([res(T.rds, "db", goodDbProps({ parameterGroupName: U }))]),
                "enc-rds-tls-custom-group",
            );
        });

        it("advises against the default parameter group", () => {
            const v = expectViolation(
                evaluate([res(T.rds, "db", goodDbProps({ parameterGroupName: undefined }))]),
                "enc-rds-tls-custom-group",
                "default parameter group",
            );
            expect(v.enforcementLevel).to.equal("advisory");
        });

        it("decides on unknown engine details without crashing", () => {
            const report = evaluate([res(T.rds, "db", { engine: U, parameterGroupName: U })]);
            expectClean(report, "enc-rds-tls-custom-group");
        });
    });

    describe("enc-redis-rest", () => {
        it("passes an encrypted group with a CMK", () => {
            expectClean(evaluate([res(T.redis, "cache", goodRedisProps())]), "enc-redis-rest");
        });

        it("flags missing at-rest encryption and key", () => {
            const report = evaluate([
                res(T.redis, "cache", goodRedisProps({ atRestEncryptionEnabled: false, kmsKeyId: undefined })),
            ]);
            expectViolation(report, "enc-redis-rest", "atRestEncryptionEnabled is false");
            expectViolation(report, "enc-redis-rest", "kmsKeyId is not set");
        });

        it("defers an unknown atRestEncryptionEnabled", () => {
            expectDeferred(
                evaluate([res(T.redis, "cache", goodRedisProps({ atRestEncryptionEnabled: U }))]),
                "enc-redis-rest",
                "atRestEncryptionEnabled",
            );
        });
    });

    describe("enc-redis-transit", () => {
        it("passes TLS with an auth token, or with RBAC user groups", () => {
            expectClean(evaluate([res(T.redis, "cache", goodRedisProps())]), "enc-redis-transit");
            expectClean(
                evaluate([res(T.redis, "cache", goodRedisProps({ authToken: undefined, userGroupIds: [U] }))]),
                "enc-redis-transit",
            );
        });

        it("flags preferred mode and missing authentication", () => {
            const report = evaluate([
                res(T.redis, "cache", goodRedisProps({ transitEncryptionMode: "preferred", authToken: undefined })),
            ]);
            expectViolation(report, "enc-redis-transit", '"preferred"');
            expectViolation(report, "enc-redis-transit", "no client authentication");
        });

        it("flags transit encryption off", () => {
            expectViolation(
                evaluate([res(T.redis, "cache", goodRedisProps({ transitEncryptionEnabled: false }))]),
                "enc-redis-transit",
                "transitEncryptionEnabled is false",
            );
        });

        it("defers an unknown transitEncryptionEnabled; an unknown auth token counts as set", () => {
            const report = evaluate([
                res(T.redis, "cache", goodRedisProps({ transitEncryptionEnabled: U, authToken: U })),
            ]);
            expectDeferred(report, "enc-redis-transit", "transitEncryptionEnabled");
            expect(decided(report, "enc-redis-transit")).to.deep.equal([]);
        });
    });

    describe("enc-s3-sse", () => {
        const kmsRules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: U } }];

        it("passes a bucket with a linked KMS encryption configuration (Bucket and BucketV2 tokens)", () => {
            const b = res(T.bucket, "data", { bucket: U });
            const sse = link(res(T.sse, "data-sse", { bucket: U, rules: kmsRules }), "bucket", b);
            const b2 = res(T.bucketV2, "logs", {});
            const sse2 = link(res(T.sseV2, "logs-sse", { bucket: U, rules: kmsRules }), "bucket", b2);
            expectClean(evaluate([b, sse, b2, sse2]), "enc-s3-sse");
        });

        it("flags a bucket without configuration and one with SSE-S3", () => {
            const bare = res(T.bucket, "bare");
            const aes = res(T.bucket, "aes");
            const sse = link(
                res(T.sse, "aes-sse", {
                    bucket: U,
                    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
                }),
                "bucket",
                aes,
            );
            const report = evaluate([bare, aes, sse]);
            expectViolation(report, "enc-s3-sse", "has no server-side encryption", bare.urn);
            expectViolation(report, "enc-s3-sse", "SSE-S3", aes.urn);
        });

        it("matches a literal bucket name, but not a dependsOn-only configuration", () => {
            const named = res(T.bucket, "named", { bucket: "groundwork-named" });
            const byName = res(T.sse, "named-sse", { bucket: "groundwork-named", rules: kmsRules });
            const other = res(T.bucket, "other", { bucket: U });
            const onlyDependsOn = dependsOn(res(T.sse, "other-sse", { bucket: U, rules: kmsRules }), other);
            const report = evaluate([named, byName, other, onlyDependsOn]);
            expectClean(report, "enc-s3-sse", named.urn);
            expectViolation(report, "enc-s3-sse", "has no server-side encryption", other.urn);
        });

        it("defers unknown rules", () => {
            const b = res(T.bucket, "data");
            const sse = link(res(T.sse, "data-sse", { bucket: U, rules: U }), "bucket", b);
            expectDeferred(evaluate([b, sse]), "enc-s3-sse", "data SSE algorithm");
        });
    });

    describe("enc-s3-tls-only", () => {
        const denyInsecure = {
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        };

        it("passes a bucket policy that denies insecure transport (Statement as a single object)", () => {
            const b = res(T.bucket, "data");
            const policy = link(
                res(T.bucketPolicy, "data-policy", {
                    bucket: U,
                    policy: JSON.stringify({ Version: "2012-10-17", Statement: denyInsecure }),
                }),
                "bucket",
                b,
            );
            expectClean(evaluate([b, policy]), "enc-s3-tls-only");
        });

        it("accepts the policy as an object with a boolean condition value", () => {
            const b = res(T.bucket, "data");
            const policy = link(
                res(T.bucketPolicy, "data-policy", {
                    bucket: U,
                    policy: { Statement: [{ ...denyInsecure, Condition: { Bool: { "aws:SecureTransport": false } } }] },
                }),
                "bucket",
                b,
            );
            expectClean(evaluate([b, policy]), "enc-s3-tls-only");
        });

        it("flags a bucket with no policy, a policy without the deny, and invalid JSON", () => {
            const none = res(T.bucket, "none");
            const weak = res(T.bucket, "weak");
            const weakPolicy = link(
                res(T.bucketPolicy, "weak-policy", {
                    bucket: U,
                    policy: doc({
                        Effect: "Allow",
                        Principal: { Service: "cloudfront.amazonaws.com" },
                        Action: "s3:GetObject",
                        Resource: "*",
                    }),
                }),
                "bucket",
                weak,
            );
            const broken = res(T.bucket, "broken");
            const brokenPolicy = link(
                res(T.bucketPolicy, "broken-policy", { bucket: U, policy: "{not json" }),
                "bucket",
                broken,
            );
            const report = evaluate([none, weak, weakPolicy, broken, brokenPolicy]);
            expectViolation(report, "enc-s3-tls-only", "has no bucket policy", none.urn);
            expectViolation(report, "enc-s3-tls-only", "does not deny insecure transport", weak.urn);
            expectViolation(report, "enc-s3-tls-only", "not a valid policy document", broken.urn);
        });

        it("defers an unknown policy document", () => {
            const b = res(T.bucket, "data");
            const policy = link(res(T.bucketPolicy, "data-policy", { bucket: U, policy: U }), "bucket", b);
            expectDeferred(evaluate([b, policy]), "enc-s3-tls-only", "data bucket policy document");
        });
    });

    describe("enc-messaging", () => {
        it("passes a queue with SQS-managed SSE by default and a topic with a key", () => {
            const report = evaluate([res(T.queue, "jobs", {}), res(T.topic, "alerts", { kmsMasterKeyId: U })]);
            expectClean(report, "enc-messaging");
        });

        it("flags a queue with SSE turned off and an unencrypted topic", () => {
            const q = res(T.queue, "jobs", { sqsManagedSseEnabled: false });
            const t = res(T.topic, "alerts", {});
            const report = evaluate([q, t]);
            expectViolation(report, "enc-messaging", "sqsManagedSseEnabled is false", q.urn);
            expectViolation(report, "enc-messaging", "topic is not encrypted", t.urn);
        });

        it("defers an unknown sqsManagedSseEnabled", () => {
            expectDeferred(
                evaluate([res(T.queue, "jobs", { sqsManagedSseEnabled: U })]),
                "enc-messaging",
                "sqsManagedSseEnabled",
            );
        });
    });

    describe("enc-cmk-misc (advisory)", () => {
        it("passes CMK-encrypted secrets, repositories and log groups", () => {
            const report = evaluate([
                res(T.secret, "s", { kmsKeyId: U }),
                res(T.ecr, "r", { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: U }] }),
                res(T.logGroup, "l", { kmsKeyId: U, retentionInDays: 365 }),
            ]);
            expectClean(report, "enc-cmk-misc");
        });

        it("advises on AWS-managed keys", () => {
            const s = res(T.secret, "s", {});
            const r = res(T.ecr, "r", { encryptionConfigurations: [{ encryptionType: "AES256" }] });
            const report = evaluate([s, r]);
            expect(expectViolation(report, "enc-cmk-misc", "kmsKeyId is not set", s.urn).enforcementLevel).to.equal(
                "advisory",
            );
            expectViolation(report, "enc-cmk-misc", "AES256", r.urn);
        });

        it("advises on an ECR repository using KMS without a key (the AWS-managed aws/ecr key)", () => {
            const r = res(T.ecr, "r", { encryptionConfigurations: [{ encryptionType: "KMS" }] });
            expectViolation(evaluate([r]), "enc-cmk-misc", "without kmsKey", r.urn);
        });

        it("defers unknown encryption configurations", () => {
            expectDeferred(
                evaluate([res(T.ecr, "r", { encryptionConfigurations: U })]),
                "enc-cmk-misc",
                "encryptionConfigurations",
            );
        });
    });

    describe("enc-ec2-volumes", () => {
        it("passes an instance whose root and attached volumes are encrypted", () => {
            const props = {
                rootBlockDevice: { encrypted: true, volumeType: "gp3" },
                ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }],
            };
            expectClean(evaluate([res(T.ec2Instance, "box", props)]), "enc-ec2-volumes");
        });

        it("flags an unencrypted or unset root volume and an unencrypted attached one", () => {
            expectViolation(
                evaluate([res(T.ec2Instance, "box", {})]),
                "enc-ec2-volumes",
                "rootBlockDevice.encrypted is not true",
            );
            expectViolation(
                evaluate([
                    res(T.ec2Instance, "box", {
                        rootBlockDevice: { encrypted: true },
                        ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: false }],
                    }),
                ]),
                "enc-ec2-volumes",
                "ebsBlockDevices[0].encrypted is not true",
            );
        });

        it("defers an unknown root volume", () => {
            expectDeferred(
                evaluate([res(T.ec2Instance, "box", { rootBlockDevice: U })]),
                "enc-ec2-volumes",
                "rootBlockDevice.encrypted",
            );
        });
    });

    describe("enc-kms-rotation", () => {
        it("passes a rotating symmetric key and ignores asymmetric keys", () => {
            const report = evaluate([
                res(T.kms, "k", { enableKeyRotation: true }),
                res(T.kms, "sign", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }),
            ]);
            expectClean(report, "enc-kms-rotation");
        });

        it("flags a symmetric key without rotation", () => {
            expectViolation(evaluate([res(T.kms, "k", {})]), "enc-kms-rotation", "enableKeyRotation is unset");
        });

        it("defers an unknown rotation flag", () => {
            expectDeferred(
                evaluate([res(T.kms, "k", { enableKeyRotation: U })]),
                "enc-kms-rotation",
                "enableKeyRotation",
            );
        });
    });

    describe("tls-alb-listener", () => {
        const https = {
            loadBalancerArn: U,
            protocol: "HTTPS",
            port: 443,
            sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            certificateArn: U,
            defaultActions: [{ type: "forward", targetGroupArn: U }],
        };
        const redirect = {
            loadBalancerArn: U,
            protocol: "HTTP",
            port: 80,
            defaultActions: [
                { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
            ],
        };

        it("passes HTTPS with a modern policy and an HTTP redirect, on aws:lb and aws:alb tokens", () => {
            const report = evaluate([res(T.lbListener, "https", https), res(T.albListener, "http", redirect)]);
            expectClean(report, "tls-alb-listener");
        });

        it("flags an old TLS policy, a forwarding HTTP listener and plain TCP", () => {
            const old = res(T.albListener, "old", { ...https, sslPolicy: "ELBSecurityPolicy-2016-08" });
            const plain = res(T.lbListener, "plain", {
                ...redirect,
                defaultActions: [{ type: "forward", targetGroupArn: U }],
            });
            const tcp = res(T.lbListener, "tcp", {
                loadBalancerArn: U,
                protocol: "TCP",
                port: 5432,
                defaultActions: [],
            });
            const report = evaluate([old, plain, tcp]);
            expectViolation(report, "tls-alb-listener", "ELBSecurityPolicy-2016-08", old.urn);
            expectViolation(report, "tls-alb-listener", "must only redirect", plain.urn);
            expectViolation(report, "tls-alb-listener", "TCP is unencrypted", tcp.urn);
        });

        it("honours the configured allow-list", () => {
            const l = res(T.lbListener, "https", https);
            const report = evaluate([l], {
                "tls-alb-listener": { allowedSslPolicies: ["ELBSecurityPolicy-TLS13-1-3-2021-06"] },
            });
            expectViolation(report, "tls-alb-listener", "not in the allow-list");
        });

        it("defers an unknown sslPolicy", () => {
            expectDeferred(
                evaluate([res(T.lbListener, "https", { ...https, sslPolicy: U })]),
                "tls-alb-listener",
                "sslPolicy",
            );
        });
    });

    describe("tls-cloudfront", () => {
        const good = {
            enabled: true,
            defaultCacheBehavior: { targetOriginId: "app", viewerProtocolPolicy: "redirect-to-https" },
            orderedCacheBehaviors: [
                { pathPattern: "/static/*", targetOriginId: "assets", viewerProtocolPolicy: "https-only" },
            ],
            origins: [
                {
                    originId: "app",
                    domainName: U,
                    customOriginConfig: {
                        httpPort: 80,
                        httpsPort: 443,
                        originProtocolPolicy: "https-only",
                        originSslProtocols: ["TLSv1.2"],
                    },
                },
                {
                    originId: "assets",
                    domainName: U,
                    s3OriginConfig: { originAccessIdentity: "" },
                    originAccessControlId: U,
                },
            ],
            viewerCertificate: {
                acmCertificateArn: U,
                minimumProtocolVersion: "TLSv1.2_2021",
                sslSupportMethod: "sni-only",
            },
            webAclId: U,
            loggingConfig: { bucket: U },
        };

        it("passes HTTPS everywhere with TLS 1.2+", () => {
            expectClean(evaluate([res(T.cdn, "cdn", good)]), "tls-cloudfront");
        });

        it("flags allow-all behaviours and an old viewer TLS floor, leaving origins to tls-cloudfront-origin", () => {
            const bad = {
                ...good,
                orderedCacheBehaviors: [
                    { pathPattern: "/x", targetOriginId: "app", viewerProtocolPolicy: "allow-all" },
                ],
                viewerCertificate: { acmCertificateArn: U, minimumProtocolVersion: "TLSv1" },
                origins: [
                    {
                        originId: "app",
                        domainName: "example.com",
                        customOriginConfig: {
                            originProtocolPolicy: "http-only",
                            originSslProtocols: ["TLSv1", "TLSv1.2"],
                        },
                    },
                ],
            };
            const report = evaluate([res(T.cdn, "cdn", bad)]);
            expectViolation(report, "tls-cloudfront", "orderedCacheBehaviors[0].viewerProtocolPolicy");
            expectViolation(report, "tls-cloudfront", 'minimumProtocolVersion is "TLSv1"');
            expect(
                violationsOf(report, "tls-cloudfront")
                    .map((v) => v.message)
                    .join("\n"),
            ).not.to.match(/originProtocolPolicy|originSslProtocols/);
            expectViolation(report, "tls-cloudfront-origin", 'originProtocolPolicy "http-only"');
        });

        it("doesn't apply the TLS floor to the default certificate", () => {
            const report = evaluate([
                res(T.cdn, "cdn", { ...good, viewerCertificate: { cloudfrontDefaultCertificate: true } }),
            ]);
            expectClean(report, "tls-cloudfront");
        });

        it("defers an unknown viewer protocol policy", () => {
            const report = evaluate([
                res(T.cdn, "cdn", {
                    ...good,
                    defaultCacheBehavior: { targetOriginId: "app", viewerProtocolPolicy: U },
                }),
            ]);
            expectDeferred(report, "tls-cloudfront", "defaultCacheBehavior.viewerProtocolPolicy");
        });
    });

    describe("tls-cloudfront-origin", () => {
        const https = {
            originProtocolPolicy: "https-only",
            originSslProtocols: ["TLSv1.2"],
            httpPort: 80,
            httpsPort: 443,
        };
        const distribution = (custom: Record<string, unknown>) => ({
            origins: [
                { originId: "app", domainName: "origin.example.com", customOriginConfig: custom },
                { originId: "assets", domainName: U, originAccessControlId: U },
                { originId: "vpc", domainName: "internal.example.com", vpcOriginConfig: { vpcOriginId: U } },
            ],
        });
        const vpcOrigin = (policy: string, items: unknown) => ({
            vpcOriginEndpointConfig: {
                name: "app",
                arn: U,
                httpPort: 80,
                httpsPort: 443,
                originProtocolPolicy: policy,
                originSslProtocols: { items, quantity: 1 },
            },
        });

        it("passes custom and VPC origins over HTTPS with TLS 1.2 only, and skips S3 origins", () => {
            const report = evaluate([
                res(T.cdn, "cdn", distribution(https)),
                res(T.vpcOrigin, "app", vpcOrigin("https-only", ["TLSv1.2"])),
            ]);
            expectClean(report, "tls-cloudfront-origin");
        });

        it("flags an HTTP custom origin and older origin protocols", () => {
            const report = evaluate([
                res(
                    T.cdn,
                    "cdn",
                    distribution({
                        ...https,
                        originProtocolPolicy: "http-only",
                        originSslProtocols: ["TLSv1", "TLSv1.2"],
                    }),
                ),
            ]);
            expectViolation(report, "tls-cloudfront-origin", 'origin app uses originProtocolPolicy "http-only"');
            expectViolation(report, "tls-cloudfront-origin", "origin app allows origin protocols");
        });

        it("flags a VPC origin over HTTP or match-viewer, or allowing TLS 1.1", () => {
            for (const policy of ["http-only", "match-viewer"]) {
                const report = evaluate([res(T.vpcOrigin, "app", vpcOrigin(policy, ["TLSv1.2"]))]);
                expectViolation(
                    report,
                    "tls-cloudfront-origin",
                    `vpcOriginEndpointConfig uses originProtocolPolicy "${policy}"`,
                );
            }
            const old = evaluate([res(T.vpcOrigin, "app", vpcOrigin("https-only", ["TLSv1.1", "TLSv1.2"]))]);
            expectViolation(old, "tls-cloudfront-origin", "vpcOriginEndpointConfig allows origin protocols");
        });

        it("defers an unknown origin protocol policy or origin list", () => {
            expectDeferred(
                evaluate([res(T.cdn, "cdn", distribution({ ...https, originProtocolPolicy: U }))]),
                "tls-cloudfront-origin",
                "origin app.originProtocolPolicy",
            );
            expectDeferred(evaluate([res(T.cdn, "cdn", { origins: U })]), "tls-cloudfront-origin", "origins");
            expectDeferred(
                evaluate([res(T.vpcOrigin, "app", { vpcOriginEndpointConfig: U })]),
                "tls-cloudfront-origin",
                "vpcOriginEndpointConfig",
            );
        });
    });

    describe("tls-ses (advisory)", () => {
        it("passes Require (ses) and REQUIRE (sesv2)", () => {
            const report = evaluate([
                res(T.ses, "a", { deliveryOptions: { tlsPolicy: "Require" } }),
                res(T.sesv2, "b", { configurationSetName: "b", deliveryOptions: { tlsPolicy: "REQUIRE" } }),
            ]);
            expectClean(report, "tls-ses");
        });

        it("advises on optional TLS", () => {
            const v = expectViolation(
                evaluate([res(T.sesv2, "b", { configurationSetName: "b" })]),
                "tls-ses",
                '"REQUIRE"',
            );
            expect(v.enforcementLevel).to.equal("advisory");
        });

        it("defers an unknown TLS policy", () => {
            expectDeferred(
                evaluate([res(T.ses, "a", { deliveryOptions: { tlsPolicy: U } })]),
                "tls-ses",
                "deliveryOptions.tlsPolicy",
            );
        });
    });
});
