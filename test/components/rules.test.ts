import { expect } from "chai";
import * as fc from "fast-check";
import { normalizeCacheArgs } from "../../components/cache";
import { normalizeDatabaseArgs } from "../../components/database";
import { ArgChecker } from "../../components/internal/args";
import { FARGATE_CPUS, FARGATE_SIZES, fargateSizeProblem } from "../../components/internal/fargate";
import {
    CACHE_ENGINE_VERSIONS,
    POSTGRES_MAJOR_VERSIONS,
    cacheVersionProblem,
    dailyWindowProblem,
    gp3ProvisioningProblem,
    maxAllocatedStorageProblem,
    minMaxAllocatedStorageGb,
    pinsMinorVersion,
    postgresVersionProblem,
    sqlNameProblem,
    weeklyWindowProblem,
    windowsOverlapProblem,
} from "../../components/internal/rules";
import { cacheSchema, databaseSchema } from "../../stacks/data";

const db = { vpcId: "v", subnetIds: ["a", "b"], alarmTopicArn: "arn:topic" };
const cache = { vpcId: "v", subnetIds: ["a"], alarmTopicArn: "arn:topic" };

describe("shared rules (config and components)", () => {
    it("supports PostgreSQL 14-17, as a major or major.minor; 13 (past standard support) and malformed versions are refused", () => {
        for (const major of [14, 15, 16, 17]) {
            expect(postgresVersionProblem(String(major)), String(major)).to.equal(undefined);
            expect(postgresVersionProblem(`${major}.4`), `${major}.4`).to.equal(undefined);
        }
        for (const bad of ["13", "13.20", "9.6", "18", "16.", "v16", "16.4.1"]) {
            expect(postgresVersionProblem(bad), bad).to.match(/^is not a supported PostgreSQL version/);
        }
        expect(POSTGRES_MAJOR_VERSIONS).not.to.include(13);
    });

    it("windows: format, AWS's shortest length, across midnight and the week's end", () => {
        expect(dailyWindowProblem("03:00-03:30", 30)).to.equal(undefined);
        expect(dailyWindowProblem("23:30-00:30", 60)).to.equal(undefined);
        expect(dailyWindowProblem("03:00-03:29", 30)).to.match(/^is shorter than 30 minutes/);
        expect(dailyWindowProblem("3am", 30)).to.match(/^is not a daily window/);
        expect(weeklyWindowProblem("sun:23:30-mon:00:30", 60)).to.equal(undefined);
        expect(weeklyWindowProblem("sun:04:00-sun:04:59", 60)).to.match(/^is shorter than 60 minutes/);
        expect(weeklyWindowProblem("sunday", 30)).to.match(/^is not a weekly window/);
    });

    it("an RDS backup window may not overlap the maintenance window on any day; touching ends are fine", () => {
        expect(windowsOverlapProblem("03:00-04:00", "sun:04:00-sun:05:00")).to.equal(undefined);
        expect(windowsOverlapProblem("04:30-05:30", "sun:04:00-sun:05:00")).to.match(
            /^overlaps the maintenance window/,
        );
        expect(windowsOverlapProblem("23:30-00:30", "mon:00:00-mon:01:00")).to.match(/^overlaps/);
        expect(windowsOverlapProblem("22:00-23:00", "sun:23:30-mon:00:30")).to.equal(undefined);
    });

    it("tells a pinned minor from a major", () => {
        expect(pinsMinorVersion("16.4")).to.equal(true);
        expect(pinsMinorVersion("16")).to.equal(false);
    });

    it("the autoscaling ceiling must be at least 10 % above the allocated storage, in whole GiB", () => {
        fc.assert(
            fc.property(fc.integer({ min: 20, max: 60000 }), (allocated) => {
                const min = minMaxAllocatedStorageGb(allocated);
                expect(min * 10, String(allocated)).to.be.at.least(allocated * 11);
                expect(maxAllocatedStorageProblem(min, allocated), `${min} for ${allocated}`).to.equal(undefined);
                expect(maxAllocatedStorageProblem(min - 1, allocated), `${min - 1} for ${allocated}`).to.match(
                    /is too low/,
                );
            }),
        );
    });

    it("gp3 IOPS and throughput may be provisioned only from 400 GiB", () => {
        expect(gp3ProvisioningProblem(399)).to.match(/^cannot be set with allocatedStorageGb 399; gp3 below 400 GiB/);
        expect(gp3ProvisioningProblem(400)).to.equal(undefined);
    });

    it("SQL names: a letter then letters, digits or underscores; RDS's own user names are reserved for the master user", () => {
        expect(sqlNameProblem("app_db", "database")).to.equal(undefined);
        expect(sqlNameProblem("my-db", "database")).to.match(/^is not a valid name/);
        expect(sqlNameProblem("rdsadmin", "user")).to.match(/^is reserved by RDS/);
        expect(sqlNameProblem("RDS_SUPERUSER", "user")).to.match(/^is reserved by RDS/);
    });

    it("cache versions are checked against their engine", () => {
        for (const [engine, versions] of Object.entries(CACHE_ENGINE_VERSIONS) as [
            keyof typeof CACHE_ENGINE_VERSIONS,
            readonly string[],
        ][]) {
            for (const version of versions) {
                expect(cacheVersionProblem(engine, version), `${engine} ${version}`).to.equal(undefined);
            }
        }
        expect(cacheVersionProblem("valkey", "7.1")).to.match(
            /^is not a supported valkey version; allowed: 7\.2, 8\.0, 8\.1/,
        );
    });

    // One rule, one verdict: what the stack config refuses, the component refuses too, and the reverse.
    const sameVerdict: [string, Record<string, unknown>, () => unknown][] = [
        [
            "engineVersion 13",
            { engineVersion: "13" },
            () => normalizeDatabaseArgs("db", { ...db, engineVersion: "13" }),
        ],
        [
            "engineVersion 16.4",
            { engineVersion: "16.4" },
            () => normalizeDatabaseArgs("db", { ...db, engineVersion: "16.4" }),
        ],
        [
            "username rdsadmin",
            { username: "rdsadmin" },
            () => normalizeDatabaseArgs("db", { ...db, username: "rdsadmin" }),
        ],
        [
            "databaseName my-db",
            { databaseName: "my-db" },
            () => normalizeDatabaseArgs("db", { ...db, databaseName: "my-db" }),
        ],
        [
            "databaseName app",
            { databaseName: "app" },
            () => normalizeDatabaseArgs("db", { ...db, databaseName: "app" }),
        ],
    ];
    for (const [label, raw, component] of sameVerdict) {
        it(`config and Database agree on ${label}`, () => {
            const configOk = databaseSchema.safeParse(raw).success;
            let componentOk = true;
            try {
                component();
            } catch {
                componentOk = false;
            }
            expect(componentOk, "component accepts").to.equal(configOk);
        });
    }

    it("config and Cache agree on every engine/version pair", () => {
        for (const engine of ["redis", "valkey"] as const) {
            for (const version of ["7.0", "7.1", "7.2", "8.0", "8.1", "6.2"]) {
                const configOk =
                    cacheSchema.safeParse({ engine, engineVersion: version }).success &&
                    cacheVersionProblem(engine, version) === undefined;
                let componentOk = true;
                try {
                    normalizeCacheArgs("cache", { ...cache, engine, engineVersion: version });
                } catch {
                    componentOk = false;
                }
                expect(componentOk, `${engine} ${version}`).to.equal(configOk);
            }
        }
    });
});

describe("ArgChecker", () => {
    const check = new ArgChecker("Thing", "t", { count: 7, label: "x y" } as { count?: number; label?: string });

    it("returns valid values and names component, logical name and argument in every error", () => {
        expect(check.int("count", 1, 1, 10)).to.equal(7);
        expect(() => check.int("count", 1, 1, 5)).to.throw(
            /^Thing "t": args\.count is 7; must be a whole number from 1 to 5$/,
        );
        expect(() => check.match("label", "x y", /^\S+$/, "no spaces")).to.throw(
            /^Thing "t": args\.label is "x y"; no spaces$/,
        );
        expect(() => check.oneOf("label", "x y", ["a", "b"])).to.throw(
            /^Thing "t": args\.label is "x y"; allowed: a, b$/,
        );
        expect(() => check.rule("count", 7, "is too big")).to.throw(/^Thing "t": args\.count is 7, which is too big$/);
        expect(check.rule("count", 7, undefined)).to.equal(7);
    });

    it("Fargate sizes: every documented cpu/memory pair passes, its neighbours outside the table fail", () => {
        expect(FARGATE_CPUS).to.deep.equal([256, 512, 1024, 2048, 4096, 8192, 16384]);
        // Spot checks against the AWS table (fargate-tasks-services.html#fargate-tasks-size).
        expect(FARGATE_SIZES[512]).to.deep.equal([1024, 2048, 3072, 4096]);
        expect(FARGATE_SIZES[4096].at(-1)).to.equal(30720);
        expect(FARGATE_SIZES[8192].slice(0, 2)).to.deep.equal([16384, 20480]);
        expect(FARGATE_SIZES[16384].at(-1)).to.equal(122880);
        for (const cpu of FARGATE_CPUS) {
            for (const memory of FARGATE_SIZES[cpu])
                expect(fargateSizeProblem(cpu, memory), `${cpu}/${memory}`).to.equal(undefined);
        }
        fc.assert(
            fc.property(fc.constantFrom(...FARGATE_CPUS), fc.integer({ min: 1, max: 200_000 }), (cpu, memory) => {
                const valid = FARGATE_SIZES[cpu].includes(memory);
                expect(fargateSizeProblem(cpu, memory) === undefined).to.equal(valid);
            }),
        );
        expect(fargateSizeProblem(256, 4096)).to.equal(
            "memory 4096 does not go with cpu 256 on Fargate; allowed: 512, 1024, 2048",
        );
        expect(fargateSizeProblem(1024, 1024)).to.match(/allowed: 2048-8192 in steps of 1024$/);
        expect(fargateSizeProblem(300, 512)).to.match(/^cpu 300 is not a Fargate task size; allowed: 256, 512/);
    });
});
