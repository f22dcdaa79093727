import { ComponentArgError } from "../common";

/**
 * The one argument checker every component's normalize step uses: each check returns the
 * checked value or throws a {@link ComponentArgError} naming the component, its logical name and
 * the argument (`Database "db": args.iops is 100; must be a whole number from 12000 to 64000`).
 * Rules shared with the stack config (see `./rules`) return a problem phrase, which
 * {@link ArgChecker.rule} turns into the same kind of error.
 */
export class ArgChecker<Args extends object> {
    constructor(
        readonly component: string,
        readonly name: string,
        private readonly args: Args,
    ) {}

    /** Throws for `arg` with `message` (which follows `args.<arg> `). */
    fail(arg: (keyof Args & string) | string, message: string): never {
        throw new ComponentArgError(this.component, this.name, arg, message);
    }

    /** `args[arg]` (or `fallback`) as a whole number within [min, max]. */
    int(arg: keyof Args & string, fallback: number, min: number, max: number): number {
        const value = (this.args[arg] as number | undefined) ?? fallback;
        if (!Number.isInteger(value) || value < min || value > max) {
            this.fail(arg, `is ${value}; must be a whole number from ${min} to ${max}`);
        }
        return value;
    }

    /** `value` if it is one of `allowed`. */
    oneOf<T extends string>(arg: keyof Args & string, value: string, allowed: readonly T[]): T {
        if (!(allowed as readonly string[]).includes(value)) {
            this.fail(arg, `is ${JSON.stringify(value)}; allowed: ${allowed.join(", ")}`);
        }
        return value as T;
    }

    /** `value` if it matches `pattern`; `expected` says what would. */
    match(arg: keyof Args & string, value: string, pattern: RegExp, expected: string): string {
        if (!pattern.test(value)) {
            this.fail(arg, `is ${JSON.stringify(value)}; ${expected}`);
        }
        return value;
    }

    /** Throws when a shared rule found a `problem` with `value` (e.g. `is too low for …`). */
    rule<T>(arg: keyof Args & string, value: T, problem: string | undefined): T {
        if (problem !== undefined) {
            this.fail(arg, `is ${typeof value === "string" ? JSON.stringify(value) : String(value)}, which ${problem}`);
        }
        return value;
    }
}
