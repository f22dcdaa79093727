import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { Queue } from "@pulumi/aws/sqs";
import { Bucket, BucketArgs, normalizeBucketArgs } from "../../components/bucket";
import { PlannedResource } from "../../tools/plan-types";
import { Recorded, promiseOf, run } from "../helpers";

const BUCKET = "aws:s3/bucket:Bucket";
const KEY = "aws:kms/key:Key";

async function bucket(args: BucketArgs = {}): Promise<{ rec: Recorded; bucket: Bucket }> {
    let created: Bucket | undefined;
    const rec = await run(() => {
        created = new Bucket("uploads", args);
    });
    return { rec, bucket: created! };
}

function only(rec: Recorded, type: string): PlannedResource {
    const found = rec.ofType(type);
    expect(found, type).to.have.length(1);
    return found[0];
}

/** The configuration resource of `type`, checked to attach to the bucket by an Output edge. */
function attached(rec: Recorded, type: string): PlannedResource {
    const resource = only(rec, type);
    expect(resource.propertyDependencies.bucket, type).to.deep.equal([only(rec, BUCKET).urn]);
    return resource;
}

describe("Bucket", () => {
    it("uses the current v7 resources, not the deprecated V2 ones", async () => {
        const { rec } = await bucket({ corsOrigins: ["https://app.example.com"] });
        expect(rec.resources.filter((r) => r.type.startsWith("aws:s3/") && /V2:/.test(r.type))).to.deep.equal([]);
    });

    it("is private: all four public access blocks, ACLs disabled by BucketOwnerEnforced", async () => {
        const { rec } = await bucket();
        expect(attached(rec, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").props).to.include({
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        expect(attached(rec, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").props.rule).to.deep.equal({
            objectOwnership: "BucketOwnerEnforced",
        });
    });

    it("encrypts with SSE-KMS under its own rotating key, with bucket keys", async () => {
        const { rec } = await bucket();
        const key = only(rec, KEY);
        expect(key.props.enableKeyRotation).to.equal(true);
        const sse = attached(
            rec,
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        );
        const [rule] = sse.props.rules as {
            applyServerSideEncryptionByDefault: Record<string, string>;
            bucketKeyEnabled: boolean;
        }[];
        expect(rule.bucketKeyEnabled).to.equal(true);
        expect(rule.applyServerSideEncryptionByDefault.sseAlgorithm).to.equal("aws:kms");
        expect(sse.propertyDependencies.rules).to.deep.equal([key.urn]);
    });

    it("denies any request without TLS or below TLS 1.2", async () => {
        const { rec, bucket: created } = await bucket();
        const policy = attached(rec, "aws:s3/bucketPolicy:BucketPolicy");
        const arn = await promiseOf(created.arn);
        const statements = JSON.parse(policy.props.policy as string).Statement;
        const insecure = statements.find((s: { Sid: string }) => s.Sid === "DenyInsecureTransport");
        expect(insecure).to.deep.include({
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [arn, `${arn}/*`],
        });
        expect(insecure.Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
        expect(statements, "statements").to.have.length.greaterThan(0);
        for (const s of statements as { Sid: string; Effect: string }[]) {
            expect(s.Effect, `${s.Sid}.Effect`).to.equal("Deny");
        }
        expect(policy.dependencies).to.include(only(rec, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").urn);
    });

    it("versions objects, moves them to Standard-IA after 30 days, expires old versions and aborts stale uploads", async () => {
        const { rec } = await bucket({ noncurrentVersionExpirationDays: 90 });
        const versioning = attached(rec, "aws:s3/bucketVersioning:BucketVersioning");
        expect(versioning.props.versioningConfiguration).to.deep.equal({ status: "Enabled" });
        const lifecycle = attached(rec, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
        expect(lifecycle.dependencies).to.include(versioning.urn);
        const rules = Object.fromEntries((lifecycle.props.rules as { id: string }[]).map((r) => [r.id, r]));
        expect(rules["current-to-standard-ia"]).to.deep.include({
            status: "Enabled",
            transitions: [{ days: 30, storageClass: "STANDARD_IA" }],
        });
        expect(rules["expire-noncurrent-versions"]).to.deep.include({
            noncurrentVersionExpiration: { noncurrentDays: 90 },
        });
        expect(rules["abort-incomplete-multipart-uploads"]).to.deep.include({
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        });
    });

    it("keeps objects in Standard when the transition is 0 (assets)", async () => {
        const { rec } = await bucket({ transitionToIaDays: 0 });
        const lifecycle = only(rec, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
        expect((lifecycle.props.rules as { id: string }[]).map((r) => r.id)).to.deep.equal([
            "expire-noncurrent-versions",
            "abort-incomplete-multipart-uploads",
        ]);
    });

    it("lets the frontend's origins upload and download with presigned URLs, and has no CORS without origins", async () => {
        const { rec } = await bucket({ corsOrigins: ["https://app.example.com", "http://localhost:3000"] });
        const cors = attached(rec, "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration");
        expect(cors.props.corsRules).to.deep.equal([
            {
                allowedOrigins: ["https://app.example.com", "http://localhost:3000"],
                allowedMethods: ["GET", "PUT", "HEAD"],
                allowedHeaders: ["*"],
                exposeHeaders: ["ETag"],
                maxAgeSeconds: 3000,
            },
        ]);
        const none = await bucket();
        expect(none.rec.ofType("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration")).to.deep.equal([]);
    });

    it("takes an origin that is an Output (a CDN's domain) and checks the plain ones", async () => {
        const { rec } = await bucket({
            corsOrigins: [pulumi.interpolate`https://${pulumi.output("d111.cloudfront.net")}`, "http://localhost:3000"],
        });
        const cors = attached(rec, "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration");
        expect((cors.props.corsRules as { allowedOrigins: string[] }[])[0].allowedOrigins).to.deep.equal([
            "https://d111.cloudfront.net",
            "http://localhost:3000",
        ]);
        expect(() => normalizeBucketArgs("uploads", { corsOrigins: [pulumi.output("x"), "*"] })).to.throw(
            /corsOrigins/,
        );
    });

    it("is named per stack with a unique suffix and tagged with its data classification", async () => {
        const { rec } = await bucket({ dataClassification: "confidential" });
        const b = only(rec, BUCKET);
        expect(b.props).to.include({ bucketPrefix: "groundwork-test-uploads-", forceDestroy: false });
        expect(b.props.tags).to.deep.equal({ "data-classification": "confidential" });
    });

    it("prod bucket and key are protected; dev may be force-destroyed", async () => {
        const prod = await bucket({ protect: true });
        expect(only(prod.rec, BUCKET).options).to.include({ protect: true, retainOnDelete: true });
        expect(only(prod.rec, KEY).options).to.include({ protect: true, retainOnDelete: true });
        const dev = await bucket({ forceDestroy: true });
        expect(only(dev.rec, BUCKET).options.protect).to.equal(false);
        expect(only(dev.rec, BUCKET).props.forceDestroy).to.equal(true);
    });

    it("logs server access to the named log bucket under its own prefix, and not at all by default", async () => {
        const { rec } = await bucket({ accessLogBucketName: "groundwork-test-access-logs-abc" });
        expect(attached(rec, "aws:s3/bucketLogging:BucketLogging").props).to.include({
            targetBucket: "groundwork-test-access-logs-abc",
            targetPrefix: "uploads/",
        });
        const custom = await bucket({ accessLogBucketName: "logs", accessLogPrefix: "s3/uploads/" });
        expect(only(custom.rec, "aws:s3/bucketLogging:BucketLogging").props.targetPrefix).to.equal("s3/uploads/");
        expect((await bucket()).rec.ofType("aws:s3/bucketLogging:BucketLogging")).to.deep.equal([]);
        expect(() => normalizeBucketArgs("uploads", { accessLogPrefix: "uploads" })).to.throw(
            /Bucket "uploads": args.accessLogPrefix is "uploads"; expected a key prefix ending in "\/"/,
        );
    });

    it("grants CloudFront its key when asked (assets served through the CDN), limited to this account", async () => {
        const { rec } = await bucket({ kmsServicePrincipals: ["cloudfront.amazonaws.com"] });
        const statements = JSON.parse(only(rec, KEY).props.policy as string).Statement;
        const cloudfront = statements.find(
            (s: { Principal: { Service?: string } }) => s.Principal.Service === "cloudfront.amazonaws.com",
        );
        expect(cloudfront.Action).to.deep.equal(["kms:Decrypt", "kms:GenerateDataKey*"]);
        expect(cloudfront.Condition).to.deep.equal({ StringEquals: { "aws:SourceAccount": "123456789012" } });
    });

    it("merges extra statements, Outputs included, into its one bucket policy after the TLS denials", async () => {
        const rec = await run(() => {
            // Stands in for a CloudFront distribution: an ARN known only once another resource exists.
            const distribution = new Queue("cdn");
            const distributionArn = distribution.arn.apply(
                () => "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE",
            );
            new Bucket("assets", {
                policyStatements: [
                    pulumi.output({
                        Sid: "AllowCloudFrontServicePrincipalReadOnly",
                        Effect: "Allow",
                        Principal: { Service: "cloudfront.amazonaws.com" },
                        Action: "s3:GetObject",
                        Resource: "arn:aws:s3:::assets/*",
                        Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
                    }),
                ],
            });
        });
        const policies = rec.ofType("aws:s3/bucketPolicy:BucketPolicy");
        expect(policies, "one policy per bucket").to.have.length(1);
        const statements = JSON.parse(policies[0].props.policy as string).Statement as {
            Sid: string;
            Condition?: Record<string, Record<string, string>>;
        }[];
        expect(statements.map((st) => st.Sid)).to.deep.equal([
            "DenyInsecureTransport",
            "DenyOutdatedTls",
            "AllowCloudFrontServicePrincipalReadOnly",
        ]);
        expect(statements[2].Condition, "the distribution's grant").to.deep.equal({
            StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE" },
        });
        expect(policies[0].propertyDependencies.policy, "the policy waits for the distribution").to.include(
            rec.one("aws:sqs/queue:Queue", "cdn").urn,
        );
    });

    it("takes a CDN's grants through a deferred ARN: the distribution can use the bucket as its origin without a cycle", async () => {
        let origin: Bucket | undefined;
        const rec = await run(() => {
            const [cdnArn, setCdnArn] = pulumi.deferredOutput<string>();
            origin = new Bucket("assets", {
                kmsServicePrincipals: ["cloudfront.amazonaws.com"],
                kmsServiceSourceArns: { "cloudfront.amazonaws.com": [cdnArn] },
                policyStatements: [
                    {
                        Sid: "CloudFrontReadsObjects",
                        Effect: "Allow",
                        Principal: { Service: "cloudfront.amazonaws.com" },
                        Action: "s3:GetObject",
                        Condition: { StringEquals: { "AWS:SourceArn": cdnArn } },
                    },
                ],
            });
            // Stands in for the distribution: it takes the bucket's domain as its origin.
            const cdn = new Queue("cdn", { tags: { origin: origin.regionalDomainName } });
            setCdnArn(cdn.arn);
        });
        const cdn = rec.one("aws:sqs/queue:Queue", "cdn");
        expect(cdn.propertyDependencies.tags, "the stand-in uses the bucket").to.deep.equal([only(rec, BUCKET).urn]);

        const policy = only(rec, "aws:s3/bucketPolicy:BucketPolicy");
        const grant = JSON.parse(policy.props.policy as string).Statement.find(
            (st: { Sid: string }) => st.Sid === "CloudFrontReadsObjects",
        );
        expect(grant.Resource, "a statement without Resource covers the objects").to.equal(
            `${await promiseOf(origin!.arn)}/*`,
        );
        expect(grant.Condition.StringEquals["AWS:SourceArn"], "bucket policy scoped to the distribution").to.match(
            /^arn:aws:sqs:/,
        );
        expect(policy.propertyDependencies.policy, "bucket policy waits for the distribution").to.include(cdn.urn);

        const key = only(rec, KEY);
        const keyGrant = JSON.parse(key.props.policy as string).Statement.find(
            (st: { Sid: string }) => st.Sid === "ServiceUsecloudfront",
        );
        expect(keyGrant.Condition, "key grant scoped to the distribution").to.deep.equal({
            StringEquals: { "AWS:SourceArn": [grant.Condition.StringEquals["AWS:SourceArn"]] },
        });
        expect(key.propertyDependencies.policy, "key policy waits for the distribution").to.include(cdn.urn);
    });

    it("rejects an extra statement that reuses one of its own Sids, naming policyStatements", () => {
        expect(() =>
            normalizeBucketArgs("assets", {
                policyStatements: [{ Sid: "DenyInsecureTransport", Effect: "Allow", Action: "s3:GetObject" }],
            }),
        ).to.throw(/^Bucket "assets": args\.policyStatements has a statement with Sid "DenyInsecureTransport"/);
    });

    it("scopes CloudFront's key grant to one distribution when its ARN is given", async () => {
        const { rec } = await bucket({
            kmsServicePrincipals: ["cloudfront.amazonaws.com"],
            kmsServiceSourceArns: {
                "cloudfront.amazonaws.com": ["arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE"],
            },
        });
        const statements = JSON.parse(only(rec, KEY).props.policy as string).Statement;
        const cloudfront = statements.find(
            (st: { Principal: { Service?: string } }) => st.Principal.Service === "cloudfront.amazonaws.com",
        );
        expect(cloudfront.Condition).to.deep.equal({
            StringEquals: { "AWS:SourceArn": ["arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE"] },
        });
    });

    it("exposes name, ARN, regional domain and key", async () => {
        const { bucket: created } = await bucket();
        expect(await promiseOf(created.bucketName)).to.match(/^groundwork-test-uploads-/);
        expect(await promiseOf(created.regionalDomainName)).to.match(/\.s3\.us-east-1\.amazonaws\.com$/);
        expect(await promiseOf(created.kmsKeyArn)).to.match(/^arn:aws:kms:/);
    });

    it("changing lifecycle, CORS or classification never replaces the bucket or its key", async () => {
        const fingerprint = (rec: Recorded) =>
            [BUCKET, KEY].map((type) => ({
                urn: only(rec, type).urn,
                bucketPrefix: only(rec, type).props.bucketPrefix,
                region: only(rec, type).props.region,
            }));
        const before = fingerprint((await bucket()).rec);
        const after = fingerprint(
            (
                await bucket({
                    transitionToIaDays: 0,
                    noncurrentVersionExpirationDays: 7,
                    abortIncompleteMultipartUploadDays: 1,
                    corsOrigins: ["https://app.example.com"],
                    dataClassification: "confidential",
                })
            ).rec,
        );
        expect(after).to.deep.equal(before);
    });

    const bad: [string, BucketArgs][] = [
        ["transitionToIaDays", { transitionToIaDays: 10 }],
        ["noncurrentVersionExpirationDays", { noncurrentVersionExpirationDays: 0 }],
        ["abortIncompleteMultipartUploadDays", { abortIncompleteMultipartUploadDays: 0 }],
        ["corsOrigins", { corsOrigins: ["*"] }],
        ["corsOrigins", { corsOrigins: ["https://app.example.com/upload"] }],
        ["corsMethods", { corsMethods: ["PATCH"] }],
        ["dataClassification", { dataClassification: "Top Secret" }],
    ];
    for (const [arg, args] of bad) {
        it(`rejects ${JSON.stringify(args)}, naming ${arg}`, () => {
            expect(() => normalizeBucketArgs("uploads", args)).to.throw(
                new RegExp(`^Bucket "uploads": args\\.${arg} `),
            );
        });
    }
});
