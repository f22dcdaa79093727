import { expect } from "chai";
import * as fc from "fast-check";
import { PLATFORM_ENV_NAMES, SERVICE_NAME, secretEnvName } from "../stacks/services";
import { expectConfigProblem as expectProblem, resolvedConfig as resolved } from "./helpers";

describe("services config", () => {
    describe("tier defaults", () => {
        it("dev runs the api alone: one small task, exec on, 30 days of logs", () => {
            const { services, cluster, deploy } = resolved();
            expect(Object.keys(services)).to.deep.equal(["api"]);
            expect(services.api).to.include({
                cpu: 256,
                memory: 512,
                desiredCount: 1,
                minCount: 1,
                maxCount: 2,
                port: 4000,
                exec: true,
                logRetentionDays: 30,
                user: "1000:1000",
            });
            expect(cluster.capacity).to.equal("fargate");
            expect(deploy.githubRepository).to.equal(undefined);
        });

        it("prod runs seed 004's four services on their ports and counts, exec off, worker partly on Spot", () => {
            const { services } = resolved({}, "prod");
            expect(Object.keys(services)).to.deep.equal(["api", "worker", "scheduler", "notifier"]);
            const shape = Object.fromEntries(
                Object.entries(services).map(([name, s]) => [
                    name,
                    [s.port, s.cpu, s.memory, s.desiredCount, s.minCount, s.maxCount, s.spot, s.exec],
                ]),
            );
            expect(shape).to.deep.equal({
                api: [4000, 512, 1024, 2, 2, 10, false, false],
                worker: [4001, 256, 512, 5, 2, 20, true, false],
                scheduler: [4002, 256, 512, 1, 1, 1, false, false],
                notifier: [4003, 256, 512, 2, 2, 6, false, false],
            });
            // A year in prod: what the pack's log-retention rule asks (seed 002 keeps 30 days).
            for (const s of Object.values(services)) expect(s.logRetentionDays).to.equal(365);
        });

        it("gives each seed service its access: api sends to both queues and uses uploads; worker consumes jobs", () => {
            const { services } = resolved({ secrets: { thirdPartyKeys: ["payments"] } }, "prod");
            expect(services.api.access).to.deep.equal({
                send: ["jobs", "events"],
                consume: [],
                read: ["uploads"],
                write: ["uploads"],
                secrets: ["database", "cache", "jwt", "payments"],
                runtimeSecrets: [],
            });
            expect(services.worker.access.consume).to.deep.equal(["jobs"]);
            expect(services.scheduler.access).to.deep.include({ send: ["jobs"], secrets: ["database"] });
            expect(services.notifier.access.consume).to.deep.equal(["events"]);
        });

        it("a stack's list of services is the list: listed services keep their names' defaults", () => {
            const { services } = resolved({ services: { api: { cpu: 1024, memory: 2048 }, worker: {} } }, "prod");
            expect(Object.keys(services)).to.deep.equal(["api", "worker"]);
            expect(services.api).to.include({ cpu: 1024, memory: 2048, port: 4000, minCount: 2, maxCount: 10 });
            expect(services.worker).to.include({ port: 4001, desiredCount: 5 });
        });

        it("an empty services map (Pulumi.yaml's declared default) means the tier's services", () => {
            expect(Object.keys(resolved({ services: {} }, "prod").services)).to.have.length(4);
        });

        it("a service without seed defaults needs a port and gets two tasks in prod", () => {
            expectProblem({ services: { search: {} } }, "services.search.port", /is required/);
            expect(resolved({ services: { search: { port: 4100 } } }, "prod").services.search).to.include({
                desiredCount: 2,
                minCount: 2,
                cpu: 256,
            });
        });
    });

    describe("rules", () => {
        it("rejects an unknown service key with the nearest known one", () => {
            expectProblem({ services: { api: { cpuu: 512 } } }, "services.api.cpuu", /did you mean cpu\?/);
        });

        it("takes the pipeline's image tags apart from the service list: one tag keeps prod's four services", () => {
            const { services } = resolved({ imageTags: { api: "3f2c1b9" } }, "prod");
            expect(Object.keys(services)).to.deep.equal(["api", "worker", "scheduler", "notifier"]);
            expect(services.api.imageTag).to.equal("3f2c1b9");
            expect(services.worker.imageTag).to.equal(undefined);
            expectProblem(
                { imageTags: { web: "3f2c1b9" } },
                "imageTags.web",
                /is not a service of this stack; services: api/,
            );
            expectProblem({ imageTags: { api: "latest" } }, "imageTags.api", /is not allowed/);
            expectProblem(
                { services: { api: { image: "public.ecr.aws/org/app:1.4.2" } }, imageTags: { api: "3f2c1b9" } },
                "imageTags.api",
                /external image/,
            );
        });

        it("takes a bucket or one prefix of it, but no IAM wildcard in the prefix", () => {
            const { services } = resolved({ services: { api: { access: { read: ["uploads/avatars/"] } } } });
            expect(services.api.access.read).to.deep.equal(["uploads/avatars/"]);
            expectProblem(
                { services: { api: { access: { read: ["uploads/*/"] } } } },
                "services.api.access.read[0]",
                /is not a bucket or bucket prefix/,
            );
        });

        it("rejects a cpu/memory pair Fargate does not run, listing the valid memory for that cpu", () => {
            expectProblem({ services: { api: { cpu: 256, memory: 4096 } } }, "services.api.memory", /512, 1024, 2048/);
        });

        it("rejects a port clash between services", () => {
            expectProblem(
                { services: { api: {}, worker: { port: 4000 } } },
                "services.worker.port",
                /already the port of services\.api/,
            );
        });

        it("rejects a privileged port: the container runs as a non-root user", () => {
            expectProblem({ services: { api: { port: 80 } } }, "services.api.port", /at least 1024/);
        });

        it("rejects min above max, and a desired count outside [min, max]", () => {
            expectProblem(
                { services: { api: { minCount: 3, maxCount: 2 } } },
                "services.api.minCount",
                /above maxCount/,
            );
            expectProblem(
                { services: { api: { desiredCount: 5 } } },
                "services.api.desiredCount",
                /outside \[minCount, maxCount\] = \[1, 2\]/,
            );
        });

        it("rejects names that break AWS naming rules", () => {
            expectProblem({ services: { Api_1: { port: 4100 } } }, "services.Api_1", /not a service name/);
            expectProblem({ services: { ["a".repeat(25)]: { port: 4100 } } }, `services.${"a".repeat(25)}`, /up to 24/);
        });

        it("accepts exactly lower-case names up to 24 characters (property)", () => {
            fc.assert(
                fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/), (name) => {
                    const ok = name.length <= 24 && !name.endsWith("-");
                    expect(SERVICE_NAME.test(name)).to.equal(ok);
                }),
            );
        });

        it("refuses secret-looking and platform environment names, and unknown secrets", () => {
            expectProblem(
                { services: { api: { environment: { STRIPE_KEY: "sk_live" } } } },
                "services.api.environment.STRIPE_KEY",
                /looks like a secret/,
            );
            expectProblem(
                { services: { api: { environment: { DATABASE_HOST: "x" } } } },
                "services.api.environment.DATABASE_HOST",
                /set by Groundwork/,
            );
            expectProblem(
                { services: { api: { access: { secrets: ["stripe"] } } } },
                "services.api.access.secrets[0]",
                /not a secret of this stack; known: database, cache, jwt/,
            );
        });

        it("refuses image together with imageTag, and the mutable tag latest", () => {
            expectProblem(
                { services: { api: { image: "public.ecr.aws/org/api:1.0", imageTag: "abc" } } },
                "services.api.imageTag",
                /not both/,
            );
            expectProblem({ services: { api: { imageTag: "latest" } } }, "services.api.imageTag", /immutable/);
        });

        it("refuses a root container user", () => {
            expectProblem({ services: { api: { user: "0:0" } } }, "services.api.user", /root/);
        });

        it("checks the EC2 capacity option: ec2 settings only with it, Spot refused, architecture matching the instances", () => {
            expectProblem({ cluster: { ec2: { min: 1 } } }, "cluster.ec2", /capacity is fargate/);
            expectProblem(
                { cluster: { capacity: "ec2", ec2: { min: 4, max: 3 } } },
                "cluster.ec2.min",
                /above cluster\.ec2\.max/,
            );
            expectProblem(
                { cluster: { capacity: "ec2" }, services: { api: { spot: true } } },
                "services.api.spot",
                /Fargate capacity only/,
            );
            expectProblem(
                { cluster: { capacity: "ec2", ec2: { instanceType: "t4g.medium" } } },
                "services.api.architecture",
                /x86_64 cannot run on t4g\.medium/,
            );
            const ec2 = resolved({
                cluster: { capacity: "ec2", ec2: { instanceType: "m7g.large" } },
                services: { api: { architecture: "arm64" } },
            });
            expect(ec2.cluster).to.deep.include({
                capacity: "ec2",
                ec2: { instanceType: "m7g.large", min: 1, max: 3 },
            });
        });

        it("deploy settings need a repository; the repository must be owner/name", () => {
            expectProblem({ deploy: { environment: "production" } }, "deploy.environment", /githubRepository is not/);
            expectProblem({ deploy: { githubRepository: "just-a-name" } }, "deploy.githubRepository", /owner\/name/);
            expect(resolved({ deploy: { githubRepository: "acme/web" } }).deploy).to.deep.equal({
                githubRepository: "acme/web",
                branch: "main",
            });
        });
    });

    it("injects each secret under a name the pack reads as a secret, never one it would flag in environment", () => {
        for (const secret of ["database", "cache", "jwt", "payments", "maps-v2"]) {
            expect(secretEnvName(secret)).to.match(/PASS|SECRET|TOKEN|KEY/);
        }
        expect(secretEnvName("maps-v2")).to.equal("MAPS_V2_API_KEY");
        for (const name of PLATFORM_ENV_NAMES) {
            expect(name, name).not.to.match(/PASS|SECRET|TOKEN|KEY/i);
        }
    });
});
