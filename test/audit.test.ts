import { expect } from "chai";
import { PlannedResource } from "../tools/plan-types";
import { Recorded, runIndex, stackConfig } from "./helpers";

const BUCKET = "aws:s3/bucket:Bucket";
const LOGGING = "aws:s3/bucketLogging:BucketLogging";
const QUERY = "aws:cloudwatch/queryDefinition:QueryDefinition";

/** The logical name of the one bucket an Output edge of `field` points at. */
function target(rec: Recorded, r: PlannedResource, field: string): string {
    const buckets = (r.propertyDependencies[field] ?? [])
        .map((urn) => rec.byUrn(urn)!)
        .filter((dep) => dep.type === BUCKET);
    expect(buckets, `${r.name}.${field}`).to.have.length(1);
    return buckets[0].name;
}

describe("audit and logging, end to end (whole stack)", () => {
    let prod: Recorded;
    let dev: Recorded;
    before(async () => {
        prod = await runIndex("prod", stackConfig("prod"));
        dev = await runIndex("dev", stackConfig("dev"));
    });

    it("uploads, assets, the load balancer's log bucket and (in prod) the trail bucket log server access to the access-log bucket", () => {
        const edges = (rec: Recorded) =>
            rec
                .ofType(LOGGING)
                .map(
                    (l) =>
                        `${target(rec, l, "bucket")} → ${target(rec, l, "targetBucket")} ${String(l.props.targetPrefix)}`,
                )
                .sort();
        expect(edges(prod)).to.deep.equal([
            "assets → access-logs assets/",
            "audit-trail → access-logs audit-trail/",
            "uploads → access-logs uploads/",
            "web-logs → access-logs web-logs/",
        ]);
        expect(edges(dev)).to.deep.equal([
            "assets → access-logs assets/",
            "uploads → access-logs uploads/",
            "web-logs → access-logs web-logs/",
        ]);
        // The log bucket's grant names exactly the buckets that log to it.
        const policy = prod.one("aws:s3/bucketPolicy:BucketPolicy", "access-logs-policy");
        // And logging is configured only once that grant exists: S3 drops what the bucket refuses.
        for (const logging of prod.ofType(LOGGING)) {
            expect(logging.propertyDependencies.targetBucket, logging.name).to.include(policy.urn);
        }
        const sources = (policy.propertyDependencies.policy ?? []).map((urn) => prod.byUrn(urn)!);
        expect(
            sources
                .filter((r) => r.type === BUCKET)
                .map((r) => r.name)
                .sort(),
        ).to.deep.equal(["access-logs", "assets", "audit-trail", "uploads", "web-logs"]);
    });

    it("prod creates the trail and exports it; dev declares none", () => {
        expect(prod.ofType("aws:cloudtrail/trail:Trail")).to.have.length(1);
        expect(dev.ofType("aws:cloudtrail/trail:Trail")).to.deep.equal([]);
        expect(dev.outputs.auditTrail).to.equal(null);
        expect(prod.outputs.auditTrail).to.have.property("trailArn");
    });

    it("a stack relying on the account's existing trail declares none and says so", async () => {
        const existing = await runIndex("prod", stackConfig("prod", { audit: { trail: "existing" } }));
        expect(existing.ofType("aws:cloudtrail/trail:Trail")).to.deep.equal([]);
        expect(existing.outputs.auditTrail).to.match(/relies on the account's existing trail/);
        expect(existing.ofType(LOGGING)).to.have.length(3);
    });

    it("saves the queries over every service's log group and the database's PostgreSQL log", () => {
        const services = prod
            .ofType("aws:ecs/service:Service")
            .map((s) => `/ecs/groundwork-prod/${s.name}`)
            .sort();
        expect(services).to.have.length(4);
        for (const name of ["queries-errors", "queries-slow-requests", "queries-failed-requests"]) {
            expect([...(prod.one(QUERY, name).props.logGroupNames as string[])].sort(), name).to.deep.equal(services);
        }
        expect(prod.one(QUERY, "queries-database-slow-queries").props.logGroupNames).to.deep.equal([
            "/aws/rds/instance/groundwork-prod-database/postgresql",
        ]);
    });
});
