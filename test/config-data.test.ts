import { expect } from "chai";
import * as fc from "fast-check";
import { normalizeBucketArgs } from "../components/bucket";
import { normalizeCacheArgs } from "../components/cache";
import { normalizeDatabaseArgs } from "../components/database";
import { normalizeQueueArgs } from "../components/queue";
import {
    configProblems as problems,
    expectConfigProblem as expectProblem,
    resolvedConfig as resolved,
} from "./helpers";
import { CACHE_NODE_TYPES, DATA_TIER_DEFAULTS, RDS_INSTANCE_CLASSES } from "../stacks/data";

describe("data config", () => {
    describe("tier defaults", () => {
        it("dev is one small instance of everything with short retention", () => {
            const config = resolved();
            expect(config.database).to.include({
                engineVersion: "16",
                instanceClass: "db.t4g.micro",
                allocatedStorageGb: 20,
                multiAz: false,
                backupRetentionDays: 1,
                readReplicas: 0,
            });
            expect(config.cache).to.include({
                engine: "redis",
                nodeType: "cache.t4g.micro",
                numCacheClusters: 1,
                snapshotRetentionDays: 1,
            });
            expect(config.storage.forceDestroy).to.equal(true);
            expect(config.queues.jobs.visibilityTimeoutSeconds).to.equal(300);
            expect(config.queues.events.visibilityTimeoutSeconds).to.equal(60);
        });

        it("prod is Multi-AZ with 30-day backups, two cache nodes, and buckets that survive destroy", () => {
            const config = resolved({}, "prod");
            expect(config.database).to.include({ multiAz: true, backupRetentionDays: 30, logRetentionDays: 365 });
            expect(config.cache).to.include({ numCacheClusters: 2, snapshotRetentionDays: 7 });
            expect(config.storage.forceDestroy).to.equal(false);
            expect(config.storage.uploads.noncurrentVersionExpirationDays).to.equal(90);
        });

        it("the stack overrides single fields and keeps the rest of the tier", () => {
            const config = resolved(
                {
                    database: { instanceClass: "db.m7g.large" },
                    storage: { uploads: { transitionToIaDays: 60 } },
                    queues: { jobs: { maxReceiveCount: 3 } },
                },
                "prod",
            );
            expect(config.database).to.include({ instanceClass: "db.m7g.large", multiAz: true });
            expect(config.storage.uploads).to.deep.equal({
                transitionToIaDays: 60,
                noncurrentVersionExpirationDays: 90,
                abortIncompleteMultipartUploadDays: 7,
            });
            expect(config.queues.jobs).to.include({ maxReceiveCount: 3, visibilityTimeoutSeconds: 300 });
        });

        it("switching the cache to Valkey brings Valkey's default version", () => {
            expect(resolved({ cache: { engine: "valkey" } }).cache).to.include({
                engine: "valkey",
                engineVersion: "8.0",
            });
        });

        it("every tier's values pass the components' own validation", () => {
            for (const environment of ["dev", "prod"] as const) {
                const { database, cache, storage, queues } = DATA_TIER_DEFAULTS[environment];
                expect(() =>
                    normalizeDatabaseArgs("db", {
                        vpcId: "v",
                        subnetIds: ["a", "b"],
                        alarmTopicArn: "arn:topic",
                        ...database,
                    }),
                ).not.to.throw();
                expect(() =>
                    normalizeCacheArgs("cache", { vpcId: "v", subnetIds: ["a"], alarmTopicArn: "arn:topic", ...cache }),
                ).not.to.throw();
                expect(() =>
                    normalizeBucketArgs("uploads", { ...storage.uploads, corsOrigins: storage.corsOrigins }),
                ).not.to.throw();
                expect(() => normalizeBucketArgs("assets", storage.assets)).not.to.throw();
                expect(() => normalizeQueueArgs("jobs", queues.jobs)).not.to.throw();
                expect(() => normalizeQueueArgs("events", queues.events)).not.to.throw();
            }
        });
    });

    describe("database", () => {
        it("rejects an unknown instance class, listing the allowed ones", () => {
            expectProblem(
                { database: { instanceClass: "db.x9.huge" } },
                "database.instanceClass",
                /^groundwork:database\.instanceClass: "db\.x9\.huge" is not a supported instance class; allowed: db\.t4g\.micro, /,
            );
        });

        it("rejects storage below RDS's 20 GiB", () => {
            expectProblem({ database: { allocatedStorageGb: 10 } }, "database.allocatedStorageGb", /10/);
        });

        it("rejects an autoscaling ceiling less than 10 % above the allocated storage", () => {
            expectProblem(
                { database: { allocatedStorageGb: 100, maxAllocatedStorageGb: 105 } },
                "database.maxAllocatedStorageGb",
                /105 is too low for allocatedStorageGb 100; .* \(110 or more\)/,
            );
        });

        it("rejects gp3 IOPS below 400 GiB", () => {
            expectProblem(
                { database: { iops: 12000 } },
                "database.iops",
                /12000 cannot be set with allocatedStorageGb 20; gp3 below 400 GiB/,
            );
        });

        it("rejects an unsupported PostgreSQL version", () => {
            expectProblem(
                { database: { engineVersion: "9.6" } },
                "database.engineVersion",
                /"9\.6" is not a supported PostgreSQL version/,
            );
        });

        it("rejects a misspelt key", () => {
            expectProblem(
                { database: { instanceSize: "db.t4g.micro" } },
                "database.instanceSize",
                /is not a known config key/,
            );
        });

        it("rejects a single-AZ or briefly backed-up database in prod", () => {
            expectProblem({ database: { multiAz: false } }, "database.multiAz", /false is not allowed in prod/, "prod");
            expectProblem(
                { database: { backupRetentionDays: 3 } },
                "database.backupRetentionDays",
                /3 is too short for prod; keep at least 7 days/,
                "prod",
            );
        });

        it("rejects a replica class without replicas, and a region that is no region", () => {
            expectProblem(
                { database: { replicaInstanceClass: "db.t4g.small" } },
                "database.replicaInstanceClass",
                /readReplicas is 0/,
            );
            expectProblem({ database: { drRegion: "mars" } }, "database.drRegion", /"mars" is not an AWS region/);
        });

        it("rejects a DR region equal to the stack's region, and a China DR region", () => {
            expectProblem(
                { database: { drRegion: "us-east-1" } },
                "database.drRegion",
                /"us-east-1" is the stack's own region \(aws:region\)/,
            );
            expectProblem(
                { database: { drRegion: "cn-north-1" } },
                "database.drRegion",
                /"cn-north-1" is in the aws-cn \(China\) partition/,
            );
            expect(resolved({ database: { drRegion: "us-west-2" } }).database.drRegion).to.equal("us-west-2");
        });

        it("accepts exactly the allow-listed instance classes (property)", () => {
            fc.assert(
                fc.property(fc.oneof(fc.constantFrom(...RDS_INSTANCE_CLASSES), fc.string()), (instanceClass) => {
                    const found = problems({ database: { instanceClass } });
                    if (RDS_INSTANCE_CLASSES.includes(instanceClass)) {
                        expect(found).to.deep.equal([]);
                    } else {
                        expect(found).to.have.length(1);
                        expect(found[0]).to.match(
                            /^groundwork:database\.instanceClass: .* is not a supported instance class; allowed: /,
                        );
                    }
                }),
            );
        });

        it("agrees with the Database component on storage bounds (property)", () => {
            fc.assert(
                fc.property(
                    fc.integer({ min: 20, max: 65536 }),
                    fc.integer({ min: 22, max: 65536 }),
                    fc.option(fc.integer({ min: 12000, max: 64000 })),
                    (allocated, max, iops) => {
                        const database = {
                            allocatedStorageGb: allocated,
                            maxAllocatedStorageGb: max,
                            ...(iops === null ? {} : { iops }),
                        };
                        const found = problems({ database });
                        const valid = max * 10 >= allocated * 11 && (iops === null || allocated >= 400);
                        expect(found.length === 0, JSON.stringify(found)).to.equal(valid);
                        const component = () =>
                            normalizeDatabaseArgs("db", {
                                vpcId: "v",
                                subnetIds: ["a", "b"],
                                alarmTopicArn: "arn:topic",
                                ...database,
                                iops: iops ?? undefined,
                            });
                        if (valid) {
                            expect(component).not.to.throw();
                        } else {
                            expect(component).to.throw(/args\.(maxAllocatedStorageGb|iops) /);
                        }
                    },
                ),
            );
        });
    });

    describe("cache", () => {
        it("rejects an unknown node type, listing the allowed ones", () => {
            expectProblem(
                { cache: { nodeType: "cache.m5.huge" } },
                "cache.nodeType",
                /"cache\.m5\.huge" is not a supported cache node type; allowed: cache\.t4g\.micro, /,
            );
        });

        it("rejects an engine ElastiCache Redis/Valkey is not", () => {
            expectProblem({ cache: { engine: "memcached" } }, "cache.engine", /memcached/);
        });

        it("rejects a version of another engine", () => {
            expectProblem(
                { cache: { engine: "valkey", engineVersion: "7.1" } },
                "cache.engineVersion",
                /"7\.1" is not a supported valkey version; allowed: 7\.2, 8\.0, 8\.1/,
            );
        });

        it("rejects more than six nodes, and fewer than two in prod", () => {
            expectProblem({ cache: { numCacheClusters: 7 } }, "cache.numCacheClusters", /7/);
            expectProblem(
                { cache: { numCacheClusters: 1 } },
                "cache.numCacheClusters",
                /1 is too few for prod/,
                "prod",
            );
        });

        it("rejects snapshots turned off", () => {
            expectProblem({ cache: { snapshotRetentionDays: 0 } }, "cache.snapshotRetentionDays", /0/);
        });

        it("accepts exactly the allow-listed node types (property)", () => {
            fc.assert(
                fc.property(fc.oneof(fc.constantFrom(...CACHE_NODE_TYPES), fc.string()), (nodeType) => {
                    expect(problems({ cache: { nodeType } }).length === 0).to.equal(
                        CACHE_NODE_TYPES.includes(nodeType),
                    );
                }),
            );
        });
    });

    describe("storage", () => {
        it("rejects a duplicate CORS origin, naming it", () => {
            expectProblem(
                {
                    storage: {
                        corsOrigins: ["https://app.example.com", "https://cdn.example.com", "https://app.example.com"],
                    },
                },
                "storage.corsOrigins[2]",
                /: "https:\/\/app\.example\.com" is listed twice \(also at \[0\]\); remove the duplicate$/,
            );
        });

        it("rejects an origin with a path", () => {
            expectProblem(
                { storage: { corsOrigins: ["https://app.example.com/upload"] } },
                "storage.corsOrigins[0]",
                /is not a browser origin/,
            );
        });

        it("rejects the wildcard origin", () => {
            expectProblem(
                { storage: { corsOrigins: ["https://app.example.com", "*"] } },
                "storage.corsOrigins[1]",
                /"\*" is not a browser origin/,
            );
        });

        it("rejects an Infrequent Access transition before 30 days", () => {
            expectProblem(
                { storage: { uploads: { transitionToIaDays: 10 } } },
                "storage.uploads.transitionToIaDays",
                /10 must be 0 .* or from 30 to 3650/,
            );
        });

        it("rejects plain-HTTP origins in prod", () => {
            expectProblem(
                { storage: { corsOrigins: ["http://localhost:3000"] } },
                "storage.corsOrigins[0]",
                /"http:\/\/localhost:3000" is not allowed in prod/,
                "prod",
            );
            expect(problems({ storage: { corsOrigins: ["http://localhost:3000"] } })).to.deep.equal([]);
        });

        it("rejects a bucket that is not uploads or assets", () => {
            expectProblem({ storage: { backups: {} } }, "storage.backups", /is not a known config key/);
        });
    });

    describe("queues", () => {
        it("rejects a receive count of 0", () => {
            expectProblem({ queues: { jobs: { maxReceiveCount: 0 } } }, "queues.jobs.maxReceiveCount", /0/);
        });

        it("rejects a visibility timeout over 12 hours", () => {
            expectProblem(
                { queues: { events: { visibilityTimeoutSeconds: 50000 } } },
                "queues.events.visibilityTimeoutSeconds",
                /50000/,
            );
        });

        it("rejects an age alarm that would fire only after messages expire", () => {
            expectProblem(
                { queues: { jobs: { messageRetentionSeconds: 600, oldestMessageAgeAlarmSeconds: 900 } } },
                "queues.jobs.oldestMessageAgeAlarmSeconds",
                /900 is not below messageRetentionSeconds \(600\)/,
            );
        });

        it("rejects a queue that is not jobs or events", () => {
            expectProblem({ queues: { emails: {} } }, "queues.emails", /is not a known config key/);
        });
    });
});
