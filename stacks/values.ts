import { z } from "zod";
import { regionProblem } from "../components/internal/regions";
import { LOG_RETENTION_DAYS, logRetentionProblem } from "../components/internal/rules";

export { LOG_RETENTION_DAYS };

export {
    closest,
    editDistance,
    PROVIDER_REGIONS,
    regionProblem,
    SUPPORTED_REGIONS,
} from "../components/internal/regions";

/**
 * Value rules that `schema.ts` and `data.ts` share (regions, lists without duplicates, secure
 * placeholders, "did you mean"). A module of its own: `schema.ts` imports `data.ts`, so neither
 * can hold a value the other needs.
 */

/**
 * What the offline stack reader (tools/stack-file.ts) hands the program in place of a `secure:`
 * value: it cannot decrypt it. `pulumi up` hands the decrypted value, so checks of a value's
 * format (an e-mail, a tag value, a name) skip this text instead of rejecting it.
 */
export const SECURE_PLACEHOLDER = "[secure value: not decryptable offline]";

export function isSecurePlaceholder(value: unknown): boolean {
    return value === SECURE_PLACEHOLDER;
}

/** A region config value: one of {@link SUPPORTED_REGIONS}. */
export const regionSchema = z.string().superRefine((value, ctx) => {
    const problem = isSecurePlaceholder(value) ? undefined : regionProblem(value);
    if (problem) {
        // The message carries the value itself; `describeIssue` would print it twice.
        ctx.addIssue({ code: "custom", message: problem.slice(JSON.stringify(value).length + 1), input: value });
    }
});

/**
 * An array whose items must be distinct (compared by `keyOf`, e.g. lower-cased e-mail): a
 * duplicate would declare the same resource twice, which Pulumi refuses with a program error
 * rather than a line naming the key. Reports each later copy at its index.
 */
export function distinctArray<T extends z.ZodType>(item: T, keyOf: (value: z.infer<T>) => string = String) {
    return z.array(item).superRefine((values, ctx) => {
        const first = new Map<string, number>();
        values.forEach((value, i) => {
            const key = keyOf(value);
            const earlier = first.get(key);
            if (earlier === undefined) {
                first.set(key, i);
            } else {
                ctx.addIssue({
                    code: "custom",
                    path: [i],
                    input: value,
                    message: `is listed twice (also at [${earlier}]); remove the duplicate`,
                });
            }
        });
    });
}

export const logRetentionDays = z
    .number()
    .int()
    .refine((days) => logRetentionProblem(days) === undefined, {
        message: logRetentionProblem(0) ?? "",
    });
