/**
 * A minimal dev stack, as `pulumi stack init` plus two `pulumi config set` calls leave it, plans clean
 * under the dev policy config: its alarm topic has no subscriber (no `groundwork:alarms` emails), which
 * policy/dev.json accepts as advisory, and the prod-only rules are off.
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { policies } from "../../policy/rules";
import { effectiveLevel, loadPolicyConfig } from "../../policy/runner";
import type { PlanDocument } from "../../tools/plan-types";
import { planCli, ROOT, scratchProject } from "../helpers";

/** Only what the real CLI needs for a dev stack: a region and the required environment key. */
const MINIMAL_DEV_STACK = "config:\n  aws:region: us-east-1\n  groundwork:environment: dev\n";

describe("minimal dev stack", function () {
    this.timeout(180_000);
    let dir: string;
    let result: { code: number | null; stdout: string; stderr: string };
    let document: PlanDocument;

    before(() => {
        dir = scratchProject();
        fs.writeFileSync(path.join(dir, "Pulumi.min.yaml"), MINIMAL_DEV_STACK);
        result = planCli(["--stack", "min", "--policy-config", "policy/dev.json", "--json", "plan.json"], dir);
        document = JSON.parse(fs.readFileSync(path.join(dir, "plan.json"), "utf8")) as PlanDocument;
    });

    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("plans with exit 0 and no mandatory violation", () => {
        expect(result.code, result.stdout + result.stderr).to.equal(0);
        for (const v of document.policyViolations) {
            expect(v.enforcementLevel, `${v.policyName} ${v.urn ?? "(stack)"}`).to.not.equal("mandatory");
        }
    });

    it("still shows the unsubscribed alarm topic, as advisory", () => {
        const actions = document.policyViolations.filter((v) => v.policyName === "alarm-actions");
        expect(actions.length, "alarm-actions findings").to.be.greaterThan(0);
        for (const v of actions) {
            expect(v.enforcementLevel, v.urn ?? "(stack)").to.equal("advisory");
        }
    });

    it("reports nothing from the prod-only rules", () => {
        for (const name of [
            "res-rds-delete-protect",
            "res-rds-multiaz",
            "res-redis-ha",
            "res-alb-delete-protect",
            "res-protect-stateful",
        ]) {
            const found = document.policyViolations.filter((v) => v.policyName === name);
            expect(
                found.map((v) => v.message),
                name,
            ).to.deep.equal([]);
        }
    });
});

describe("alarm-actions per environment", () => {
    const alarmActions = policies.find((p) => p.name === "alarm-actions")!;

    it("is advisory under policy/dev.json", () => {
        expect(effectiveLevel(alarmActions, loadPolicyConfig(path.join(ROOT, "policy", "dev.json")))).to.equal(
            "advisory",
        );
    });

    it("stays mandatory under policy/prod.json", () => {
        expect(effectiveLevel(alarmActions, loadPolicyConfig(path.join(ROOT, "policy", "prod.json")))).to.equal(
            "mandatory",
        );
    });
});

describe("tls-cloudfront-origin per environment", () => {
    const origin = policies.find((p) => p.name === "tls-cloudfront-origin")!;

    it("is advisory under policy/dev.json: a dev stack without a zone reaches its load balancer over HTTP", () => {
        expect(effectiveLevel(origin, loadPolicyConfig(path.join(ROOT, "policy", "dev.json")))).to.equal("advisory");
    });

    it("stays mandatory under policy/prod.json", () => {
        expect(effectiveLevel(origin, loadPolicyConfig(path.join(ROOT, "policy", "prod.json")))).to.equal("mandatory");
    });
});
