import { expect } from "chai";
import { evaluate } from "./fixtures";
import { alb, distribution, ecsService, lambdaFunction, userPool, webAcl } from "./fixtures-next";

describe("compliant fixtures for the next component types", () => {
    it("pass every rule of the pack in prod, alarm coverage aside", () => {
        const all = [
            ...ecsService().all,
            ...alb().all,
            ...distribution().all,
            ...webAcl().all,
            ...userPool().all,
            ...lambdaFunction().all,
        ];
        const report = evaluate(all, {}, "prod");
        const findings = report.violations
            .filter((v) => !v.policyName.startsWith("alarm-"))
            .map((v) => `${v.policyName}: ${v.message}`);
        expect(findings).to.deep.equal([]);
    });
});
