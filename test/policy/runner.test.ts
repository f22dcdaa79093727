import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import * as fc from "fast-check";
import type {
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import {
    durationSeconds,
    evaluatePolicies,
    formatPolicyReport,
    isDeferred,
    loadPolicyConfig,
    PACK_VERSION,
    PlanInputError,
    PolicyConfigError,
    PolicyReport,
    validatePolicyConfig,
} from "../../policy/runner";
import { policies, policyCatalogue } from "../../policy/rules";
import { T as TOKENS } from "../../policy/rules/lib/types";
import { UnknownValueError } from "../../policy/rules/lib/unknowns";
import { policyTable } from "../../tools/policy-docs";
import type { PlannedResource } from "../../tools/plan-types";
import { dependsOn, doc, evaluate, goodDbProps, goodRedisProps, link, res, T, U, urnOf } from "./fixtures";

const ROOT = path.resolve(__dirname, "..", "..");

/** A resource policy that records the args it was given. */
function recorder(
    seen: ResourceValidationArgs[],
    extra: Partial<ResourceValidationPolicy> = {},
): ResourceValidationPolicy {
    return {
        name: "recorder",
        description: "records its arguments",
        enforcementLevel: "advisory",
        validateResource: (args) => {
            seen.push(args);
        },
        ...extra,
    };
}

describe("policy runner", () => {
    describe("arguments handed to resource policies", () => {
        it("matches what the analyzer builds: type, name, URN, options, provider, stack tags, config", () => {
            const provider = res(T.provider, "use1", { region: "us-east-1" });
            const parent = res("groundwork:index:Database", "db", {}, { custom: false });
            const r = res(
                T.rds,
                "db-instance",
                { storageEncrypted: true },
                {
                    parent: parent.urn,
                    options: {
                        protect: true,
                        ignoreChanges: ["password"],
                        deleteBeforeReplace: true,
                        aliases: ["urn:pulumi:test::groundwork::aws:rds/instance:Instance::old"],
                        additionalSecretOutputs: ["password"],
                        customTimeouts: { create: "40m", delete: "1h30m" },
                        provider: `${provider.urn}::${U}`,
                    },
                },
            );
            const seen: ResourceValidationArgs[] = [];
            const p = recorder(seen, {
                configSchema: { properties: { minDays: { type: "integer", default: 7 }, label: { type: "string" } } },
            });
            evaluatePolicies([provider, parent, r], { recorder: { label: "x" } }, { policies: [p] });
            const args = seen.find((a) => a.urn === r.urn);
            expect(args).to.not.equal(undefined);
            const a = args as ResourceValidationArgs;
            expect(a.type).to.equal(T.rds);
            expect(a.name).to.equal("db-instance");
            expect(a.opts).to.deep.equal({
                protect: true,
                ignoreChanges: ["password"],
                aliases: ["urn:pulumi:test::groundwork::aws:rds/instance:Instance::old"],
                customTimeouts: { createSeconds: 2400, updateSeconds: 0, deleteSeconds: 5400 },
                additionalSecretOutputs: ["password"],
                deleteBeforeReplace: true,
                parent: parent.urn,
            });
            expect(a.provider?.type).to.equal(T.provider);
            expect(a.provider?.name).to.equal("use1");
            expect(a.provider?.urn).to.equal(provider.urn);
            expect(a.provider?.props.region).to.equal("us-east-1");
            expect(a.stackTags.size).to.equal(0);
            expect(a.getConfig()).to.deep.equal({ minDays: 7, label: "x" });
            expect(a.props.storageEncrypted).to.equal(true);
        });

        it("implements isType/asType by type token and notApplicable silently", () => {
            const seen: boolean[] = [];
            const fakeClass = { __pulumiType: T.rds } as unknown as Parameters<ResourceValidationArgs["isType"]>[0];
            const p = recorder([], {
                validateResource: (args) => {
                    seen.push(args.isType(fakeClass), args.asType(fakeClass as never) !== undefined);
                    args.notApplicable("not for this one");
                },
            });
            const report = evaluatePolicies([res(T.rds, "a"), res(T.kms, "b")], {}, { policies: [p] });
            expect(seen).to.deep.equal([true, true, false, false]);
            expect(report.violations).to.deep.equal([]);
        });

        it("turns the unknown sentinel into UnknownValueError when read, at any depth", () => {
            const caught: unknown[] = [];
            const p = recorder([], {
                validateResource: (args) => {
                    for (const read of [() => args.props.top, () => args.props.list[1], () => args.props.nested.deep]) {
                        try {
                            read();
                        } catch (e) {
                            caught.push(e);
                        }
                    }
                    // Known neighbours stay readable.
                    caught.push(args.props.list.length, args.props.list[0], args.props.nested.known);
                },
            });
            evaluatePolicies(
                [res(T.rds, "a", { top: U, list: ["a", U], nested: { deep: U, known: 1 } })],
                {},
                { policies: [p] },
            );
            expect(caught).to.have.length(6);
            for (const e of caught.slice(0, 3)) {
                expect(e).to.be.instanceOf(UnknownValueError);
            }
            expect((caught[1] as Error).message).to.equal("string value at .list.1 can't be known during preview");
            expect(caught.slice(3)).to.deep.equal([2, "a", 1]);
        });

        it("reports an unknown a policy doesn't catch as the analyzer does: one advisory", () => {
            const p: ResourceValidationPolicy = {
                name: "reads-unknown",
                description: "d",
                enforcementLevel: "mandatory",
                validateResource: (args, report) => {
                    if (args.props.flag !== true) {
                        report("flag is not true");
                    }
                },
            };
            const r = res(T.rds, "a", { flag: U });
            const report = evaluatePolicies([r], {}, { policies: [p] });
            expect(report.violations).to.deep.equal([
                {
                    policyName: "reads-unknown",
                    enforcementLevel: "advisory",
                    urn: r.urn,
                    message: `can't run policy 'reads-unknown' from policy pack 'groundwork@v${PACK_VERSION}' during preview: string value at .flag can't be known during preview`,
                },
            ]);
        });

        it("unwraps secrets like the analyzer (proxySecrets false) and keeps the plan's placeholder", () => {
            const seen: ResourceValidationArgs[] = [];
            const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s3cr3t" };
            evaluatePolicies(
                [res(T.redis, "a", { authToken: secret, other: "[secret]" })],
                {},
                { policies: [recorder(seen)] },
            );
            expect(seen[0].props.authToken).to.equal("s3cr3t");
            expect(seen[0].props.other).to.equal("[secret]");
        });

        it("gives each validation fresh props, so one policy's mutation doesn't leak", () => {
            const values: unknown[] = [];
            const mutate = recorder([], {
                name: "mutate",
                validateResource: (args) => {
                    args.props.x = "changed";
                },
            });
            const read = recorder([], {
                name: "read",
                validateResource: (args) => {
                    values.push(args.props.x);
                },
            });
            evaluatePolicies([res(T.rds, "a", { x: "original" })], {}, { policies: [mutate, read] });
            expect(values).to.deep.equal(["original"]);
        });

        it("throws PlanInputError for props the SDK can't deserialize", () => {
            const bad = res(T.rds, "a", { x: { "4dabf18193072939515e22adb298388d": "not-a-signature" } });
            expect(() => evaluatePolicies([bad], {}, { policies: [recorder([])] })).to.throw(
                PlanInputError,
                "Unrecognized signature",
            );
        });
    });

    describe("arguments handed to stack policies", () => {
        it("resolves parent, dependencies and propertyDependencies to the resource objects by URN", () => {
            const parent = res("groundwork:index:Database", "db", {}, { custom: false });
            const key = res(T.kms, "key", {});
            const db = link(res(T.rds, "db-instance", { kmsKeyId: U }, { parent: parent.urn }), "kmsKeyId", key);
            dependsOn(db, res(T.kms, "not-in-plan"));
            let seen: StackValidationArgs | undefined;
            const p: StackValidationPolicy = {
                name: "stack",
                description: "d",
                enforcementLevel: "advisory",
                validateStack: (args) => {
                    seen = args;
                },
            };
            evaluatePolicies([parent, key, db], {}, { policies: [p] });
            const args = seen as StackValidationArgs;
            const byName = (n: string) => args.resources.find((r) => r.name === n) as PolicyResource;
            const instance = byName("db-instance");
            expect(instance.parent).to.equal(byName("db"));
            expect(instance.dependencies).to.deep.equal([byName("key")]); // the URN not in the plan is dropped
            expect(instance.propertyDependencies.kmsKeyId).to.deep.equal([byName("key")]);
            expect(instance.opts.parent).to.equal(parent.urn);
            expect(args.stackTags.size).to.equal(0);
            expect(() => instance.props.kmsKeyId).to.throw(UnknownValueError);
        });
    });

    describe("enforcement levels", () => {
        const weakDb = () => res(T.rds, "db", goodDbProps({ storageEncrypted: false }));
        const bareSecret = () => res(T.secret, "s", {});

        it("uses each policy's default level", () => {
            const report = evaluate([weakDb(), bareSecret()]);
            expect(report.violations.find((v) => v.policyName === "enc-rds-storage")?.enforcementLevel).to.equal(
                "mandatory",
            );
            expect(report.violations.find((v) => v.policyName === "enc-cmk-misc")?.enforcementLevel).to.equal(
                "advisory",
            );
        });

        it('lets a string or an object entry override it, and "all" set the rest', () => {
            const report = evaluate([weakDb(), bareSecret()], {
                all: "advisory",
                "enc-rds-storage": "advisory",
                "enc-cmk-misc": { enforcementLevel: "mandatory" },
            });
            expect(report.violations.find((v) => v.policyName === "enc-rds-storage")?.enforcementLevel).to.equal(
                "advisory",
            );
            expect(report.violations.find((v) => v.policyName === "enc-cmk-misc")?.enforcementLevel).to.equal(
                "mandatory",
            );
            expect(
                report.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName),
            ).to.deep.equal(["enc-cmk-misc"]);
            expect(report.policies.find((p) => p.name === "net-rds-private")?.enforcementLevel).to.equal("advisory");
        });

        it("doesn't run disabled policies and lists them as disabled", () => {
            const report = evaluate([weakDb()], { "enc-rds-storage": "disabled" });
            expect(report.violations.filter((v) => v.policyName === "enc-rds-storage")).to.deep.equal([]);
            expect(report.policies.find((p) => p.name === "enc-rds-storage")?.enforcementLevel).to.equal("disabled");
        });

        it("reports a remediate-level violation as mandatory, as the analyzer does", () => {
            const report = evaluate([weakDb()], { "enc-rds-storage": "remediate" });
            expect(report.violations.find((v) => v.policyName === "enc-rds-storage")?.enforcementLevel).to.equal(
                "mandatory",
            );
        });
    });

    describe("failing policies", () => {
        it("turns a throwing resource or stack policy into a mandatory violation and keeps going", () => {
            const boom: ResourceValidationPolicy = {
                name: "boom",
                description: "d",
                enforcementLevel: "advisory",
                validateResource: () => {
                    throw new TypeError("cannot read x of undefined");
                },
            };
            const stackBoom: StackValidationPolicy = {
                name: "stack-boom",
                description: "d",
                validateStack: () => {
                    throw new Error("bad graph");
                },
            };
            const fine: ResourceValidationPolicy = {
                name: "fine",
                description: "fine policy",
                enforcementLevel: "advisory",
                validateResource: (_a, report) => report("still ran"),
            };
            const r = res(T.rds, "a");
            const report = evaluatePolicies([r], {}, { policies: [boom, stackBoom, fine] });
            expect(report.violations).to.deep.equal([
                {
                    policyName: "boom",
                    enforcementLevel: "mandatory",
                    urn: r.urn,
                    message: "policy crashed: cannot read x of undefined",
                },
                { policyName: "fine", enforcementLevel: "advisory", urn: r.urn, message: "fine policy\nstill ran" },
                { policyName: "stack-boom", enforcementLevel: "mandatory", message: "policy crashed: bad graph" },
            ]);
        });

        it("reports a policy that returns a promise instead of leaving it unawaited", () => {
            const later: ResourceValidationPolicy = {
                name: "later",
                description: "d",
                validateResource: async () => {
                    throw new Error("late");
                },
            };
            const report = evaluatePolicies([res(T.rds, "a")], {}, { policies: [later] });
            expect(report.violations).to.have.length(1);
            expect(report.violations[0].message).to.match(/^policy crashed: .*Promise/);
        });
    });

    describe("stack fallback for environment-dependent rules", () => {
        it("makes pulumi.getStack() return the plan's stack while policies run, then restores it", () => {
            const before = pulumi.getStack();
            const stacks: string[] = [];
            const p = recorder([], {
                validateResource: () => {
                    stacks.push(pulumi.getStack());
                },
            });
            evaluatePolicies([res(T.rds, "a")], {}, { policies: [p], stackName: "dev" });
            expect(stacks).to.deep.equal(["dev"]);
            expect(pulumi.getStack()).to.equal(before);
        });
    });

    describe("config", () => {
        it("rejects unknown policies (suggesting the nearest), bad levels, unknown and mistyped properties", () => {
            expect(() => validatePolicyConfig({ "enc-rds-storge": "advisory" })).to.throw(
                PolicyConfigError,
                'did you mean "enc-rds-storage"',
            );
            expect(() => validatePolicyConfig({ "enc-rds-storage": "blocking" })).to.throw(
                PolicyConfigError,
                "enforcementLevel must be one of",
            );
            expect(() => validatePolicyConfig({ "res-rds-backup": { minDay: 3 } })).to.throw(
                PolicyConfigError,
                'unknown property "minDay" (it takes: minDays)',
            );
            expect(() => validatePolicyConfig({ "res-rds-backup": { minDays: "7" } })).to.throw(
                PolicyConfigError,
                "res-rds-backup.minDays must be integer, got string",
            );
            expect(() => validatePolicyConfig({ "res-rds-multiaz": { environment: "staging" } })).to.throw(
                PolicyConfigError,
                'must be one of "dev", "prod"',
            );
            expect(() => validatePolicyConfig({ "net-sg-ingress": { allowedPublicPorts: [443, "80"] } })).to.throw(
                PolicyConfigError,
                "allowedPublicPorts[1]",
            );
            expect(() => validatePolicyConfig([])).to.throw(PolicyConfigError, "JSON object");
            expect(() => evaluatePolicies([], { nope: "advisory" })).to.throw(
                PolicyConfigError,
                'unknown policy "nope"',
            );
        });

        it("loads a config file with clear errors", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
            const broken = path.join(dir, "broken.json");
            fs.writeFileSync(broken, '{ "a": ');
            expect(() => loadPolicyConfig(broken)).to.throw(
                PolicyConfigError,
                `policy config ${broken} is not valid JSON`,
            );
            expect(() => loadPolicyConfig(path.join(dir, "missing.json"))).to.throw(PolicyConfigError, "ENOENT");
            const wrong = path.join(dir, "wrong.json");
            fs.writeFileSync(wrong, JSON.stringify({ "log-retention": { minDaysProd: 0 } }));
            expect(() => loadPolicyConfig(wrong)).to.throw(PolicyConfigError, "log-retention.minDaysProd must be >= 1");
        });

        it("ships dev and prod configs that set environment on every environment-dependent policy", () => {
            const envPolicies = policies.filter((p) => p.configSchema?.properties.environment).map((p) => p.name);
            expect(envPolicies.length).to.be.greaterThan(5);
            for (const env of ["dev", "prod"]) {
                const config = loadPolicyConfig(path.join(ROOT, "policy", `${env}.json`));
                for (const name of envPolicies) {
                    const entry = config[name];
                    expect(typeof entry === "object" ? entry.environment : undefined, `${env}.json ${name}`).to.equal(
                        env,
                    );
                }
            }
        });
    });

    describe("report formatting", () => {
        it("groups by enforcement level, then policy, naming type and resource", () => {
            const db = res(T.rds, "db", goodDbProps({ storageEncrypted: false }));
            const text = formatPolicyReport(evaluate([db, res(T.secret, "s", {})]));
            const mandatory = text.indexOf("    mandatory:");
            const advisory = text.indexOf("    advisory:");
            expect(text.startsWith(`Policy pack groundwork@v${PACK_VERSION}: `)).to.equal(true);
            expect(mandatory).to.be.greaterThan(0);
            expect(advisory).to.be.greaterThan(mandatory);
            expect(text).to.contain(
                "        enc-rds-storage\n          - aws:rds/instance:Instance (db): RDS instances encrypt storage",
            );
            expect(text.indexOf("enc-cmk-misc")).to.be.greaterThan(advisory);
        });

        it("prints a no-violations line for a clean report", () => {
            const clean: PolicyReport = {
                pack: "groundwork",
                policies: [
                    { name: "a", enforcementLevel: "mandatory" },
                    { name: "b", enforcementLevel: "disabled" },
                ],
                violations: [],
                config: "policy/dev.json",
            };
            expect(formatPolicyReport(clean)).to.equal(
                `Policy pack groundwork@v${PACK_VERSION}\n    no violations (1 policy evaluated, 1 disabled; config: policy/dev.json)\n`,
            );
        });

        it("labels checks it could not decide at preview as deferred, not as violations", () => {
            const db = res(T.rds, "db", goodDbProps({ storageEncrypted: U, performanceInsightsEnabled: false }));
            const report = evaluate([db]);
            const deferredFinding = report.violations.find((v) => v.policyName === "enc-rds-storage");
            expect(deferredFinding && isDeferred(deferredFinding), "enc-rds-storage is deferred").to.equal(true);
            const text = formatPolicyReport(report);
            const summary = text.split("\n")[0];
            const deferredCount = report.violations.filter(isDeferred).length;
            const advisoryCount = report.violations.filter(
                (v) => v.enforcementLevel === "advisory" && !isDeferred(v),
            ).length;
            expect(summary, "summary").to.contain(`, ${deferredCount} deferred to pulumi up (`);
            expect(summary, "violation count").to.match(
                new RegExp(`: ${report.violations.length - deferredCount} violations?`),
            );
            expect(summary, "advisory count").to.contain(`${advisoryCount} advisory`);
            const deferredAt = text.indexOf("    deferred (unknown at preview; pulumi up checks them):");
            expect(deferredAt, "deferred section").to.be.greaterThan(0);
            expect(text.indexOf("        enc-rds-storage"), "enc-rds-storage under deferred").to.be.greaterThan(
                deferredAt,
            );
        });

        it("names the policy config it ran with", () => {
            const file = path.join(ROOT, "policy", "dev.json");
            const previous = process.cwd();
            process.chdir(ROOT);
            try {
                const report = evaluate([res(T.secret, "s", {})], loadPolicyConfig(file));
                expect(report.config, "config from loadPolicyConfig").to.equal("policy/dev.json");
                expect(formatPolicyReport(report).split("\n")[0], "summary").to.contain("config: policy/dev.json");
            } finally {
                process.chdir(previous);
            }
            expect(evaluate([res(T.secret, "s", {})]).config, "no config").to.equal("none");
        });
    });

    it("parses Go durations like the engine", () => {
        expect(durationSeconds("10m")).to.equal(600);
        expect(durationSeconds("1h30m")).to.equal(5400);
        expect(durationSeconds("1.5s")).to.equal(1.5);
        expect(durationSeconds("soon")).to.equal(0);
        expect(durationSeconds(undefined)).to.equal(0);
    });

    describe("robustness", () => {
        const tokens = [...new Set(Object.values(TOKENS).flat())];
        const value = fc.letrec((tie) => ({
            v: fc.oneof(
                { depthSize: "small" },
                fc.constant(U),
                fc.boolean(),
                fc.integer(),
                fc.double({ noNaN: true, noDefaultInfinity: true }),
                fc.constant(null),
                fc.constantFrom(
                    "true",
                    "false",
                    "7",
                    "*",
                    "0.0.0.0/0",
                    "::/0",
                    "-1",
                    "{",
                    doc({ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }),
                ),
                fc.string(),
                fc.array(tie("v"), { maxLength: 3 }),
                fc.dictionary(fc.string({ maxLength: 12 }), tie("v"), { maxKeys: 4 }),
            ),
        })).v;
        const keys = fc.constantFrom(
            "policy",
            "ingress",
            "tags",
            "dimensions",
            "metricName",
            "containerDefinitions",
            "redrivePolicy",
            "rules",
            "settings",
            "origins",
            "accessLogs",
            "defaultActions",
            "protocol",
            "fromPort",
            "cidrBlocks",
            "storageEncrypted",
            "assumeRolePolicy",
            "subnets",
            "retentionInDays",
            "alarmActions",
            "networkConfiguration",
            "deliveryOptions",
            "engine",
        );

        it("no rule crashes on arbitrary props, unknowns, wrong types or broken JSON (property-based)", () => {
            fc.assert(
                fc.property(
                    fc.array(
                        fc.record({
                            type: fc.constantFrom(...tokens),
                            props: fc.dictionary(keys, value, { maxKeys: 6 }),
                        }),
                        { minLength: 1, maxLength: 4 },
                    ),
                    fc.array(fc.tuple(fc.nat(3), keys, fc.nat(3)), { maxLength: 4 }),
                    (specs, edges) => {
                        const resources = specs.map((s, i) => res(s.type, `r${i}`, s.props));
                        for (const [from, key, to] of edges) {
                            if (resources[from] && resources[to]) {
                                link(resources[from], key, resources[to]);
                            }
                        }
                        const report = evaluatePolicies(resources, {});
                        expect(report.violations.filter((v) => v.message.startsWith("policy crashed"))).to.deep.equal(
                            [],
                        );
                    },
                ),
                { numRuns: 150 },
            );
        });
    });

    describe("fidelity with the real analyzer server (node_modules/@pulumi/policy/server.js)", () => {
        /* eslint-disable @typescript-eslint/no-require-imports */
        const server = require("@pulumi/policy/server") as {
            makeAnalyzeRpcFun: (
                n: string,
                v: string,
                l: string,
                p: unknown[],
            ) => (call: { request: unknown }, cb: (err: unknown, resp: AnalyzeResponse) => void) => void;
            makeAnalyzeStackRpcFun: (
                n: string,
                v: string,
                l: string,
                p: unknown[],
            ) => (call: { request: unknown }, cb: (err: unknown, resp: AnalyzeResponse) => void) => void;
        };
        const pb = require("@pulumi/pulumi/proto/analyzer_pb");
        const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
        const { convertEnforcementLevel } = require("@pulumi/policy/protoutil");
        /* eslint-enable @typescript-eslint/no-require-imports */

        interface AnalyzeResponse {
            getDiagnosticsList(): { getPolicyname(): string; getEnforcementlevel(): number; getMessage(): string }[];
        }

        function options(r: PlannedResource) {
            const o = new pb.AnalyzerResourceOptions();
            o.setProtect(r.options.protect);
            o.setIgnorechangesList(r.options.ignoreChanges);
            o.setAliasesList(r.options.aliases);
            o.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs);
            if (r.parent) {
                o.setParent(r.parent);
            }
            return o;
        }

        function provider(r: PlannedResource, all: PlannedResource[]) {
            const ref = r.options.provider;
            if (!ref) {
                return undefined;
            }
            const p = all.find((x) => ref.startsWith(`${x.urn}::`)) as PlannedResource;
            const pr = new pb.AnalyzerProviderResource();
            pr.setType(p.type);
            pr.setName(p.name);
            pr.setUrn(p.urn);
            pr.setProperties(Struct.fromJavaScript(p.props));
            return pr;
        }

        function call(fn: ReturnType<typeof server.makeAnalyzeRpcFun>, request: unknown): Promise<AnalyzeResponse> {
            return new Promise((resolve, reject) =>
                fn({ request }, (err, resp) => (err ? reject(err) : resolve(resp))),
            );
        }

        const simplify = (list: { policyName: string; enforcementLevel: string; message: string }[]) =>
            list.map((v) => `${v.policyName} ${v.enforcementLevel} ${v.message}`).sort();

        async function viaServer(resources: PlannedResource[]): Promise<string[]> {
            const out: { policyName: string; enforcementLevel: string; message: string }[] = [];
            const collect = (resp: AnalyzeResponse) =>
                out.push(
                    ...resp.getDiagnosticsList().map((d) => ({
                        policyName: d.getPolicyname(),
                        enforcementLevel: convertEnforcementLevel(d.getEnforcementlevel()),
                        message: d.getMessage(),
                    })),
                );
            const analyze = server.makeAnalyzeRpcFun("groundwork", PACK_VERSION, "advisory", policies);
            for (const r of resources) {
                const req = new pb.AnalyzeRequest();
                req.setType(r.type);
                req.setName(r.name);
                req.setUrn(r.urn);
                req.setProperties(Struct.fromJavaScript(r.props));
                req.setOptions(options(r));
                const prov = provider(r, resources);
                if (prov) {
                    req.setProvider(prov);
                }
                collect(await call(analyze, req));
            }
            const stackReq = new pb.AnalyzeStackRequest();
            stackReq.setResourcesList(
                resources.map((r) => {
                    const ar = new pb.AnalyzerResource();
                    ar.setType(r.type);
                    ar.setName(r.name);
                    ar.setUrn(r.urn);
                    ar.setProperties(Struct.fromJavaScript(r.props));
                    ar.setOptions(options(r));
                    if (r.parent) {
                        ar.setParent(r.parent);
                    }
                    ar.setDependenciesList(r.dependencies);
                    for (const [k, urns] of Object.entries(r.propertyDependencies)) {
                        const deps = new pb.AnalyzerPropertyDependencies();
                        deps.setUrnsList(urns);
                        ar.getPropertydependenciesMap().set(k, deps);
                    }
                    const prov = provider(r, resources);
                    if (prov) {
                        ar.setProvider(prov);
                    }
                    return ar;
                }),
            );
            collect(
                await call(server.makeAnalyzeStackRpcFun("groundwork", PACK_VERSION, "advisory", policies), stackReq),
            );
            return simplify(out);
        }

        /** A stack that trips most rules, with unknowns sprinkled through it. */
        function messyStack(): PlannedResource[] {
            const use1 = res(T.provider, "use1", { region: "us-east-1" });
            const key = res(T.kms, "key", {
                enableKeyRotation: U,
                policy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*", Resource: "*" }),
            });
            const db = link(
                res(T.rds, "db", goodDbProps({ storageEncrypted: U, multiAz: false, backupRetentionPeriod: 1 })),
                "kmsKeyId",
                key,
            );
            const cache = res(
                T.redis,
                "cache",
                goodRedisProps({ transitEncryptionMode: "preferred", atRestEncryptionEnabled: U }),
            );
            const bucket = res(T.bucket, "data", { tags: { "data-classification": "internal" } });
            const pab = link(
                res(T.pab, "pab", {
                    bucket: U,
                    blockPublicAcls: true,
                    blockPublicPolicy: U,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: false,
                }),
                "bucket",
                bucket,
            );
            const sg = res(T.sg, "sg", {
                ingress: [
                    { protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] },
                    { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: U },
                ],
            });
            const topic = res(T.topic, "alerts", {});
            const alarm = link(
                res(
                    T.alarm,
                    "db-cpu",
                    {
                        namespace: "AWS/RDS",
                        metricName: "CPUUtilization",
                        dimensions: { DBInstanceIdentifier: U },
                        alarmActions: [U],
                    },
                    { options: { provider: `${use1.urn}::${U}` } },
                ),
                "dimensions",
                db,
            );
            link(alarm, "alarmActions", topic);
            const td = res(T.taskDef, "td", {
                family: "a",
                containerDefinitions: JSON.stringify([{ name: "web", environment: [{ name: "API_KEY", value: "x" }] }]),
            });
            const listener = res(T.albListener, "l", {
                protocol: "HTTPS",
                sslPolicy: U,
                certificateArn: U,
                defaultActions: [],
            });
            const logGroup = res(T.logGroup, "logs", { retentionInDays: 7 });
            return [use1, key, db, cache, bucket, pab, sg, topic, alarm, td, listener, logGroup];
        }

        it("produces the same findings as the analyzer for a messy stack", async () => {
            const resources = messyStack();
            const ours = simplify(evaluatePolicies(resources, {}).violations);
            const theirs = await viaServer(resources);
            expect(ours.length).to.be.greaterThan(20);
            expect(ours).to.deep.equal(theirs);
        });

        it("produces the same findings as the analyzer for a compliant database", async () => {
            const key = res(T.kms, "key", { enableKeyRotation: true });
            const db = link(res(T.rds, "db", goodDbProps()), "kmsKeyId", key);
            const resources = [key, db];
            expect(simplify(evaluatePolicies(resources, {}).violations)).to.deep.equal(await viaServer(resources));
        });
    });

    describe("catalogue", () => {
        const CATALOGUE_IDS = [
            "enc-rds-storage",
            "enc-rds-tls",
            "enc-redis-rest",
            "enc-redis-transit",
            "enc-s3-sse",
            "enc-s3-tls-only",
            "enc-messaging",
            "enc-cmk-misc",
            "enc-kms-rotation",
            "tls-alb-listener",
            "tls-cloudfront",
            "tls-ses",
            "net-rds-private",
            "net-db-subnets-private",
            "net-sg-ingress",
            "net-sg-db-from-sg",
            "net-default-sg",
            "net-ecs-no-public-ip",
            "net-s3-bpa",
            "net-cf-oac",
            "net-resource-policies",
            "net-alb-scheme",
            "net-cognito-guest",
            "alarm-rds",
            "alarm-redis",
            "alarm-ecs",
            "alarm-alb",
            "alarm-sqs-dlq",
            "alarm-cloudfront",
            "alarm-actions",
            "res-rds-backup",
            "res-rds-delete-protect",
            "res-rds-multiaz",
            "res-redis-ha",
            "res-alb-delete-protect",
            "res-protect-stateful",
            "res-s3-versioning",
            "res-ecs-deploy",
            "res-ecr-lifecycle",
            "iam-no-wildcard",
            "iam-no-admin-attach",
            "iam-ecs-roles",
            "iam-ecs-secrets",
            "log-alb",
            "log-cloudfront",
            "log-vpc-flow",
            "log-ecs-containers",
            "log-rds",
            "log-retention",
        ];
        const ADVISORY = [
            "enc-cmk-misc",
            "tls-ses",
            "net-default-sg",
            "alarm-cloudfront",
            "res-protect-stateful",
            "res-s3-versioning",
            "res-ecs-deploy",
            "res-ecr-lifecycle",
            "log-retention",
        ];

        it("holds every rule of the catalogue, with its default level, once", () => {
            const entries = policyCatalogue();
            const names = entries.map((e) => e.name);
            expect(new Set(names).size).to.equal(names.length);
            expect(names).to.include.members(CATALOGUE_IDS);
            for (const id of CATALOGUE_IDS) {
                const e = entries.find((x) => x.name === id);
                expect(e?.enforcementLevel, id).to.equal(ADVISORY.includes(id) ? "advisory" : "mandatory");
                expect(e?.source, id).to.not.equal("");
                expect(e?.remediation, id).to.not.equal("");
            }
        });

        it("has a describe block in a family test file for every policy", () => {
            const tests = fs
                .readdirSync(__dirname)
                .filter((f) => f.endsWith(".test.ts"))
                .map((f) => fs.readFileSync(path.join(__dirname, f), "utf8"))
                .join("\n");
            for (const p of policies) {
                expect(tests, p.name).to.contain(`describe("${p.name}`);
            }
        });

        it("renders the README table with every policy", () => {
            const table = policyTable();
            for (const e of policyCatalogue()) {
                const level = e.prodOnly ? `${e.enforcementLevel} in prod, off in dev` : e.enforcementLevel;
                expect(table).to.contain(`| \`${e.name}\` | ${e.kind} | ${level} |`);
            }
        });

        it("loads without side effects: requiring the rules starts no analyzer server", () => {
            const child = spawnSync(
                process.execPath,
                [
                    "-r",
                    path.join(__dirname, "..", "..", "tools", "register.js"),
                    "-e",
                    "require('./policy/rules'); require('./policy/runner');",
                ],
                {
                    cwd: ROOT,
                    encoding: "utf8",
                    timeout: 30000,
                },
            );
            expect(child.status, child.stderr).to.equal(0);
            expect(child.stdout).to.equal("");
        });
    });

    it("uses URNs in the shape the runner parses", () => {
        expect(urnOf(T.rds, "db")).to.equal("urn:pulumi:test::groundwork::aws:rds/instance:Instance::db");
    });
});
