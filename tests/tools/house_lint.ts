/**
 * The house's own lint rule, for `deno lint` (deno.json `lint.plugins`) and
 * the architecture test: no function in lib/ is over 80 lines (a longer one
 * is a room to split). Counted by Deno's own TypeScript parser, from a
 * function's first line to its last, its JSDoc left out.
 *
 * @module
 */

/** The most lines a function in lib/ may have. */
export const MAX_FUNCTION_LINES = 80;

const plugin: Deno.lint.Plugin = {
  name: "house",
  rules: {
    "function-lines": {
      create(context) {
        if (!/[\\/]lib[\\/]/.test(context.filename)) return {};
        const check = (node: Deno.lint.Node) => {
          const [start, end] = node.range;
          const lines = context.sourceCode.text.slice(start, end).split("\n").length;
          if (lines > MAX_FUNCTION_LINES) {
            context.report({
              node,
              message: `a function of ${lines} lines (at most ${MAX_FUNCTION_LINES} in lib/)`,
              hint: "split it into functions that each do one thing",
            });
          }
        };
        return {
          FunctionDeclaration: check,
          FunctionExpression: check,
          ArrowFunctionExpression: check,
        };
      },
    },
  },
};

export default plugin;
