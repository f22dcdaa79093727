import { expect } from "chai";
import {
    decided,
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
import { goodUserPoolProps, NT } from "./fixtures-next";

const PROD = { environment: "prod" };
const DEV = { environment: "dev" };

describe("policy family: resilience", () => {
    describe("res-rds-backup", () => {
        it('passes 7 days of backups (also given as the string "7")', () => {
            expectClean(evaluate([res(T.rds, "db", goodDbProps())]), "res-rds-backup");
            expectClean(evaluate([res(T.rds, "db", goodDbProps({ backupRetentionPeriod: "7" }))]), "res-rds-backup");
        });

        it("flags too-short and unset retention", () => {
            const short = res(T.rds, "short", goodDbProps({ backupRetentionPeriod: 1 }));
            const unset = res(T.rds, "unset", goodDbProps({ backupRetentionPeriod: undefined }));
            const report = evaluate([short, unset]);
            expectViolation(report, "res-rds-backup", "backupRetentionPeriod is 1", short.urn);
            expectViolation(report, "res-rds-backup", "not set", unset.urn);
        });

        it("leaves read replicas to their source (backups and final snapshots belong to the source)", () => {
            const replica = res(
                T.rds,
                "replica",
                goodDbProps({
                    backupRetentionPeriod: 0,
                    replicateSourceDb: "primary-db",
                    skipFinalSnapshot: true,
                    deletionProtection: false,
                    multiAz: false,
                }),
            );
            const unknownSource = res(
                T.rds,
                "replica2",
                goodDbProps({ backupRetentionPeriod: 0, replicateSourceDb: U }),
            );
            const report = evaluate([replica, unknownSource], {
                "res-rds-delete-protect": PROD,
                "res-rds-multiaz": PROD,
            });
            for (const name of ["res-rds-backup", "res-rds-delete-protect", "res-rds-multiaz"]) {
                expectClean(report, name);
            }
            // A primary with the same settings is still flagged.
            const primary = res(T.rds, "primary", goodDbProps({ backupRetentionPeriod: 0, skipFinalSnapshot: true }));
            const flagged = evaluate([primary], { "res-rds-delete-protect": PROD });
            expectViolation(flagged, "res-rds-backup", "backupRetentionPeriod is 0", primary.urn);
            expectViolation(flagged, "res-rds-delete-protect", "skipFinalSnapshot is true", primary.urn);
        });

        it("reads minDays from config", () => {
            expectViolation(
                evaluate([res(T.rds, "db", goodDbProps())], { "res-rds-backup": { minDays: 14 } }),
                "res-rds-backup",
                "at least 14 days",
            );
        });

        it("defers an unknown retention", () => {
            expectDeferred(
                evaluate([res(T.rds, "db", goodDbProps({ backupRetentionPeriod: U }))]),
                "res-rds-backup",
                "backupRetentionPeriod",
            );
        });
    });

    describe("res-rds-delete-protect (prod)", () => {
        const unprotected = goodDbProps({
            deletionProtection: false,
            skipFinalSnapshot: true,
            finalSnapshotIdentifier: undefined,
        });

        it("passes a protected prod instance", () => {
            expectClean(
                evaluate([res(T.rds, "db", goodDbProps())], { "res-rds-delete-protect": PROD }),
                "res-rds-delete-protect",
            );
        });

        it("flags an unprotected instance in prod", () => {
            const report = evaluate([res(T.rds, "db", unprotected)], { "res-rds-delete-protect": PROD });
            expectViolation(report, "res-rds-delete-protect", "deletionProtection is false");
            expectViolation(report, "res-rds-delete-protect", "skipFinalSnapshot is true");
            expectViolation(report, "res-rds-delete-protect", "finalSnapshotIdentifier is not set");
        });

        it("doesn't apply in dev, by config or (without config) by stack name", () => {
            expectClean(
                evaluate([res(T.rds, "db", unprotected)], { "res-rds-delete-protect": DEV }),
                "res-rds-delete-protect",
            );
            expectClean(evaluate([res(T.rds, "db", unprotected)], {}, "dev"), "res-rds-delete-protect");
            expectViolation(
                evaluate([res(T.rds, "db", unprotected)], {}, "prod"),
                "res-rds-delete-protect",
                "deletionProtection",
            );
        });

        it("defers an unknown deletionProtection", () => {
            expectDeferred(
                evaluate([res(T.rds, "db", goodDbProps({ deletionProtection: U }))], {
                    "res-rds-delete-protect": PROD,
                }),
                "res-rds-delete-protect",
                "deletionProtection",
            );
        });
    });

    describe("res-rds-multiaz (prod)", () => {
        it("passes Multi-AZ in prod and single-AZ in dev", () => {
            expectClean(evaluate([res(T.rds, "db", goodDbProps())], { "res-rds-multiaz": PROD }), "res-rds-multiaz");
            expectClean(
                evaluate([res(T.rds, "db", goodDbProps({ multiAz: false }))], { "res-rds-multiaz": DEV }),
                "res-rds-multiaz",
            );
        });

        it("flags single-AZ in prod", () => {
            expectViolation(
                evaluate([res(T.rds, "db", goodDbProps({ multiAz: false }))], { "res-rds-multiaz": PROD }),
                "res-rds-multiaz",
                "multiAz is false",
            );
        });

        it("defers an unknown multiAz", () => {
            expectDeferred(
                evaluate([res(T.rds, "db", goodDbProps({ multiAz: U }))], { "res-rds-multiaz": PROD }),
                "res-rds-multiaz",
                "multiAz",
            );
        });
    });

    describe("res-redis-ha (prod)", () => {
        it("passes a failover-capable group (and cluster mode with replicas)", () => {
            expectClean(evaluate([res(T.redis, "cache", goodRedisProps())], { "res-redis-ha": PROD }), "res-redis-ha");
            const clustered = goodRedisProps({
                numCacheClusters: undefined,
                numNodeGroups: 2,
                replicasPerNodeGroup: 1,
            });
            expectClean(evaluate([res(T.redis, "cache", clustered)], { "res-redis-ha": PROD }), "res-redis-ha");
        });

        it("flags a single node without failover or snapshots in prod", () => {
            const single = goodRedisProps({
                automaticFailoverEnabled: false,
                multiAzEnabled: false,
                numCacheClusters: 1,
                snapshotRetentionLimit: 0,
            });
            const report = evaluate([res(T.redis, "cache", single)], { "res-redis-ha": PROD });
            expectViolation(report, "res-redis-ha", "automaticFailoverEnabled is false");
            expectViolation(report, "res-redis-ha", "multiAzEnabled is false");
            expectViolation(report, "res-redis-ha", "no replica");
            expectViolation(report, "res-redis-ha", "snapshotRetentionLimit is 0");
            expectClean(evaluate([res(T.redis, "cache", single)], { "res-redis-ha": DEV }), "res-redis-ha");
        });

        it("defers an unknown node count", () => {
            expectDeferred(
                evaluate([res(T.redis, "cache", goodRedisProps({ numCacheClusters: U }))], { "res-redis-ha": PROD }),
                "res-redis-ha",
                "numCacheClusters",
            );
        });
    });

    describe("res-alb-delete-protect (prod)", () => {
        it("passes a protected ALB in two subnets whose IDs are unknown (the count is known)", () => {
            expectClean(
                evaluate([res(T.alb, "alb", { enableDeletionProtection: true, subnets: [U, U] })], {
                    "res-alb-delete-protect": PROD,
                }),
                "res-alb-delete-protect",
            );
        });

        it("flags an unprotected single-subnet load balancer", () => {
            const report = evaluate([res(T.lb, "alb", { subnets: ["subnet-1"] })], { "res-alb-delete-protect": PROD });
            expectViolation(report, "res-alb-delete-protect", "enableDeletionProtection is unset");
            expectViolation(report, "res-alb-delete-protect", "fewer than two subnets");
        });

        it("defers a wholly unknown subnet list", () => {
            expectDeferred(
                evaluate([res(T.lb, "alb", { enableDeletionProtection: true, subnets: U })], {
                    "res-alb-delete-protect": PROD,
                }),
                "res-alb-delete-protect",
                "subnets",
            );
        });
    });

    describe("res-protect-stateful (advisory, prod)", () => {
        const protectedOpts = { options: { protect: true } };

        it("passes protected stateful resources with long recovery windows", () => {
            const report = evaluate(
                [
                    res(T.rds, "db", goodDbProps(), protectedOpts),
                    res(T.kms, "key", { enableKeyRotation: true, deletionWindowInDays: 30 }, protectedOpts),
                    res(T.secret, "secret", { kmsKeyId: U }, protectedOpts),
                    res(T.ecr, "images", { forceDelete: false }, protectedOpts),
                    res(NT.userPool, "users", goodUserPoolProps(), protectedOpts),
                ],
                { "res-protect-stateful": PROD },
            );
            expectClean(report, "res-protect-stateful");
        });

        it("advises on unprotected resources and short windows", () => {
            const bucket = res(T.bucketV2, "data", {});
            const key = res(T.kms, "key", { enableKeyRotation: true, deletionWindowInDays: 7 }, protectedOpts);
            const secret = res(T.secret, "secret", { recoveryWindowInDays: 0 }, protectedOpts);
            const report = evaluate([bucket, key, secret], { "res-protect-stateful": PROD });
            expect(
                expectViolation(report, "res-protect-stateful", "not protected", bucket.urn).enforcementLevel,
            ).to.equal("advisory");
            expectViolation(report, "res-protect-stateful", "deletionWindowInDays is 7", key.urn);
            expectViolation(report, "res-protect-stateful", "recoveryWindowInDays is 0", secret.urn);
            expectClean(evaluate([bucket], { "res-protect-stateful": DEV }), "res-protect-stateful");
        });

        it("advises on an unprotected user pool: deleting it deletes every user", () => {
            const pool = res(NT.userPool, "users", goodUserPoolProps());
            const report = evaluate([pool], { "res-protect-stateful": PROD });
            expectViolation(report, "res-protect-stateful", "not protected", pool.urn);
            expectClean(evaluate([pool], { "res-protect-stateful": DEV }), "res-protect-stateful");
        });

        it("advises on an unprotected or force-deleted image repository", () => {
            const open = res(T.ecr, "open", {});
            const forced = res(T.ecr, "forced", { forceDelete: true }, protectedOpts);
            const report = evaluate([open, forced], { "res-protect-stateful": PROD });
            expectViolation(report, "res-protect-stateful", "not protected", open.urn);
            expectViolation(report, "res-protect-stateful", "forceDelete is true", forced.urn);
        });

        it("defers an unknown deletion window", () => {
            expectDeferred(
                evaluate([res(T.kms, "key", { deletionWindowInDays: U }, protectedOpts)], {
                    "res-protect-stateful": PROD,
                }),
                "res-protect-stateful",
                "deletionWindowInDays",
            );
        });
    });

    describe("res-s3-versioning (advisory)", () => {
        const tagged = (name: string) => res(T.bucketV2, name, { tags: { "data-classification": "confidential" } });

        it("passes a data bucket with versioning and a lifecycle, and ignores untagged buckets", () => {
            const b = tagged("data");
            const v = link(
                res(T.versioningV2, "data-versioning", { bucket: U, versioningConfiguration: { status: "Enabled" } }),
                "bucket",
                b,
            );
            const l = link(
                res(T.lifecycle, "data-lifecycle", { bucket: U, rules: [{ id: "noncurrent", status: "Enabled" }] }),
                "bucket",
                b,
            );
            const scratch = res(T.bucket, "scratch", {});
            expectClean(evaluate([b, v, l, scratch]), "res-s3-versioning");
        });

        it("flags a data bucket with versioning suspended and no lifecycle", () => {
            const b = tagged("data");
            const v = link(
                res(T.versioning, "data-versioning", { bucket: U, versioningConfiguration: { status: "Suspended" } }),
                "bucket",
                b,
            );
            const report = evaluate([b, v]);
            expectViolation(report, "res-s3-versioning", "is not versioned", b.urn);
            expectViolation(report, "res-s3-versioning", "no lifecycle configuration", b.urn);
        });

        it("defers a bucket whose tags are unknown", () => {
            expectDeferred(evaluate([res(T.bucket, "b", { tags: U })]), "res-s3-versioning", "b.tags");
        });
    });

    describe("res-ecs-deploy (advisory)", () => {
        const good = { launchType: "FARGATE", deploymentCircuitBreaker: { enable: true, rollback: true } };

        it("passes a Fargate service with rollback and the latest platform", () => {
            expectClean(evaluate([res(T.service, "svc", good)]), "res-ecs-deploy");
            expectClean(evaluate([res(T.service, "svc", { ...good, platformVersion: "LATEST" })]), "res-ecs-deploy");
        });

        it("flags no rollback and a pinned platform version", () => {
            const report = evaluate([
                res(T.service, "svc", {
                    launchType: "FARGATE",
                    deploymentCircuitBreaker: { enable: true, rollback: false },
                    platformVersion: "1.3.0",
                }),
            ]);
            expectViolation(report, "res-ecs-deploy", "deploymentCircuitBreaker");
            expectViolation(report, "res-ecs-deploy", '"1.3.0"');
        });

        it("skips the circuit breaker under CodeDeploy", () => {
            expectClean(
                evaluate([
                    res(T.service, "svc", { launchType: "FARGATE", deploymentController: { type: "CODE_DEPLOY" } }),
                ]),
                "res-ecs-deploy",
            );
        });

        it("defers an unknown circuit breaker", () => {
            expectDeferred(
                evaluate([res(T.service, "svc", { ...good, deploymentCircuitBreaker: U })]),
                "res-ecs-deploy",
                "deploymentCircuitBreaker",
            );
        });
    });

    describe("res-ecr-lifecycle (advisory)", () => {
        const goodRepo = {
            name: "app",
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
        };

        it("passes an immutable, scanned repository with a lifecycle policy (by edge or by literal name)", () => {
            const repo = res(T.ecr, "repo", goodRepo);
            const lc = link(res(T.ecrLifecycle, "repo-lc", { repository: U, policy: "{}" }), "repository", repo);
            expectClean(evaluate([repo, lc]), "res-ecr-lifecycle");
            const literal = res(T.ecrLifecycle, "repo-lc", { repository: "app", policy: "{}" });
            expectClean(evaluate([res(T.ecr, "repo", goodRepo), literal]), "res-ecr-lifecycle");
        });

        it("flags a mutable, unscanned repository without lifecycle", () => {
            const repo = res(T.ecr, "repo", { name: "app" });
            const report = evaluate([repo]);
            expectViolation(report, "res-ecr-lifecycle", "no lifecycle policy");
            expectViolation(report, "res-ecr-lifecycle", "imageTagMutability unset");
            expectViolation(report, "res-ecr-lifecycle", "does not scan on push");
        });

        it("defers unknown settings", () => {
            const repo = res(T.ecr, "repo", { ...goodRepo, imageTagMutability: U });
            const lc = link(res(T.ecrLifecycle, "repo-lc", { repository: U, policy: "{}" }), "repository", repo);
            const report = evaluate([repo, lc]);
            expectDeferred(report, "res-ecr-lifecycle", "repo.imageTagMutability");
            expect(decided(report, "res-ecr-lifecycle")).to.deep.equal([]);
        });
    });
});
