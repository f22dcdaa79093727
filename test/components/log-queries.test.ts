import { expect } from "chai";
import { LOG_QUERIES, LogQueries, LogQueriesArgs, normalizeLogQueriesArgs } from "../../components/log-queries";
import { Recorded, run } from "../helpers";

const QUERY = "aws:cloudwatch/queryDefinition:QueryDefinition";
const SERVICES = ["/ecs/groundwork-test/api", "/ecs/groundwork-test/worker"];
const DATABASE = "/aws/rds/instance/groundwork-test-database/postgresql";

async function queries(args: LogQueriesArgs): Promise<Recorded> {
    return run(() => {
        new LogQueries("queries", args);
    });
}

/** Every Logs Insights command a query uses; the first must be a command, each stage `| command …`. */
function commands(query: string): string[] {
    return query.split("\n").map((line, i) => {
        const stage = i === 0 ? line : line.replace(/^\| /, "");
        expect(i === 0 || line.startsWith("| "), line).to.equal(true);
        return stage.split(" ")[0];
    });
}

describe("LogQueries", () => {
    it("saves seed 002's three queries over every service's log group, in the stack's folder", async () => {
        const rec = await queries({ serviceLogGroupNames: SERVICES });
        const defs = rec.ofType(QUERY);
        expect(defs.map((d) => d.props.name)).to.deep.equal([
            "groundwork-test/Errors",
            "groundwork-test/Slow requests (over 500 ms)",
            "groundwork-test/Failed requests by status code",
        ]);
        for (const d of defs) {
            expect(d.props.logGroupNames, String(d.props.name)).to.deep.equal(SERVICES);
        }
        expect(rec.one(QUERY, "queries-errors").props.queryString).to.equal(LOG_QUERIES.errors);
        expect(rec.one(QUERY, "queries-slow-requests").props.queryString).to.equal(LOG_QUERIES.slowRequests);
        expect(rec.one(QUERY, "queries-failed-requests").props.queryString).to.equal(LOG_QUERIES.failedRequests);
    });

    it("saves the slow-query definition over the database's PostgreSQL log group", async () => {
        const rec = await queries({ serviceLogGroupNames: SERVICES, databaseLogGroupName: DATABASE });
        const db = rec.one(QUERY, "queries-database-slow-queries");
        expect(db.props).to.deep.include({
            name: "groundwork-test/Database slow queries",
            logGroupNames: [DATABASE],
            queryString: LOG_QUERIES.databaseSlowQueries,
        });
        expect((await queries({ databaseLogGroupName: DATABASE })).ofType(QUERY)).to.have.length(1);
    });

    it("queries what each seed query asks, in valid Logs Insights commands", () => {
        const known = ["fields", "filter", "stats", "sort", "limit", "parse", "display"];
        for (const [key, query] of Object.entries(LOG_QUERIES)) {
            for (const command of commands(query)) {
                expect(known, `${key}: ${command}`).to.include(command);
            }
        }
        expect(LOG_QUERIES.errors).to.match(/filter level = "error" or @message like \/ERROR\//);
        expect(LOG_QUERIES.errors).to.match(/stats count\(\) as occurrences by @message/);
        expect(LOG_QUERIES.slowRequests).to.match(/filter durationMs > 500\n/);
        expect(LOG_QUERIES.failedRequests).to.match(
            /filter statusCode >= 400\n\| stats count\(\) as requests by statusCode/,
        );
        // RDS logs a slow statement as `LOG:  duration: 1234.567 ms  statement: …`.
        const line =
            "2026-01-01 12:00:00 UTC:10.0.3.7(51234):app@app:[4242]:LOG:  duration: 1234.567 ms  statement: SELECT 1";
        const pattern = /like \/(.+)\//.exec(LOG_QUERIES.databaseSlowQueries)![1];
        expect(new RegExp(pattern).test(line)).to.equal(true);
        expect(new RegExp(pattern).test(line.replace("duration: 1234.567 ms  statement", "statement"))).to.equal(false);
        expect(LOG_QUERIES.databaseSlowQueries).to.include('parse @message "duration: * ms" as durationMs');
    });

    it("refuses nothing to query, too many groups, and a folder with a slash, naming the arg", () => {
        expect(() => normalizeLogQueriesArgs("queries", {})).to.throw(
            /LogQueries "queries": args.serviceLogGroupNames is empty/,
        );
        const many = Array.from({ length: 51 }, (_, i) => `/ecs/s${i}`);
        expect(() => normalizeLogQueriesArgs("queries", { serviceLogGroupNames: many })).to.throw(
            /args.serviceLogGroupNames lists 51 log groups; a saved query covers at most 50/,
        );
        expect(() => normalizeLogQueriesArgs("queries", { serviceLogGroupNames: SERVICES, folder: "a/b" })).to.throw(
            /args.folder/,
        );
    });
});
