import { expect } from "chai";
import { PlannedResource } from "../tools/plan-types";
import { Recorded, runIndex, stackConfig } from "./helpers";

/**
 * STYLE.md: a child's logical name starts with its component's name (`network-public-1` under
 * `network`). Logical names are part of every URN, so a stray name is also a resource that
 * collides with another component's, or that a rename would replace.
 */
describe("logical names (whole program)", () => {
    for (const environment of ["dev", "prod"] as const) {
        describe(environment, () => {
            let rec: Recorded;
            before(async () => {
                rec = await runIndex(environment, stackConfig(environment));
            });

            it("every child of a component is named after it: the component's name, or it and a hyphen", () => {
                const byUrn = new Map(rec.resources.map((r) => [r.urn, r]));
                // The stack's own children are the components and the provider: their names are the program's to choose.
                const children = rec.resources.filter((r): r is PlannedResource & { parent: string } => {
                    const parent = r.parent ? byUrn.get(r.parent) : undefined;
                    return parent !== undefined && parent.type !== "pulumi:pulumi:Stack";
                });
                expect(children.length).to.be.greaterThan(100);
                for (const child of children) {
                    const parent = byUrn.get(child.parent)!;
                    const ok = child.name === parent.name || child.name.startsWith(`${parent.name}-`);
                    expect(ok, `${child.type} "${child.name}" under ${parent.type} "${parent.name}"`).to.equal(true);
                }
            });
        });
    }
});
