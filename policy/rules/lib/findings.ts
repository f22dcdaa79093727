/**
 * What a rule decided and what it could not, handed to the analyzer in one go.
 *
 * violation inherits the policy's enforcement level; the object overload that can lower the level per
 * violation is private in @pulumi/policy 1.21 (pulumi-policy#424). `args.notApplicable()` would hide the gap
 * (not-applicable is not shown as a finding), so rules use it only for "wrong resource type".
 */
import type { ReportViolation } from "@pulumi/policy";
import { DeferredCheckError, Tri, UNKNOWN } from "./unknowns";

// ------------------------------------------------------------------------------------------------
// Findings: collect what a rule decided and what it could not, then hand both to the analyzer.
// ------------------------------------------------------------------------------------------------

export class Findings {
    private readonly failures: { message: string; urn?: string }[] = [];
    private readonly unverified: string[] = [];

    /** A decided violation. `urn` only matters for stack policies (resource policies report their resource). */
    fail(message: string, urn?: string): void {
        this.failures.push({ message, urn });
    }

    /** Something the rule needs but cannot see at preview. */
    unknown(what: string): void {
        if (!this.unverified.includes(what)) {
            this.unverified.push(what);
        }
    }

    /** Records a three-valued check: false is a violation, UNKNOWN is deferred. */
    expect(ok: Tri, what: string, message: string, urn?: string): void {
        if (ok === UNKNOWN) {
            this.unknown(what);
        } else if (!ok) {
            this.fail(message, urn);
        }
    }

    /** Reports the violations, then defers what could not be decided (see the file header). */
    flush(report: ReportViolation): void {
        for (const f of this.failures) {
            report(f.message, f.urn);
        }
        if (this.unverified.length > 0) {
            throw new DeferredCheckError(this.unverified);
        }
    }
}
