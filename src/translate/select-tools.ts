/** `tools` + `tool_choice` → the native tools to send (Ollama's layer ignores `tool_choice`). */
import { invalidRequest } from '../errors/gateway-error.ts';
import type { OllamaTool } from '../ollama/wire.ts';
import type { FunctionTool, ToolChoice } from '../openai/chat-completion-request.ts';

/**
 * `none` sends no tools; a named function (or `allowed_tools`) sends only those; `auto` and `required`
 * send all (`required` is best effort: Ollama cannot force a call). Names missing from `tools` are a 400.
 * The whole `parameters` schema is sent.
 */
export function selectTools(tools: readonly FunctionTool[] | null | undefined, toolChoice: ToolChoice | null | undefined): OllamaTool[] | undefined {
  const available = tools ?? [];
  if (toolChoice === 'none') return undefined;
  if (available.length === 0) {
    if (toolChoice === 'required' || (typeof toolChoice === 'object' && toolChoice !== null)) {
      throw invalidRequest('tool_choice needs tools: none were given', 'tool_choice');
    }
    return undefined;
  }
  const wanted = readWantedNames(toolChoice);
  if (wanted === undefined) return available.map(toNativeTool);
  return wanted.map(({ name, param }) => {
    const tool = available.find((candidate) => candidate.function.name === name);
    if (tool === undefined) throw invalidRequest(`tool_choice names function '${name}', which is not in tools`, param);
    return toNativeTool(tool);
  });
}

function readWantedNames(toolChoice: ToolChoice | null | undefined): { name: string; param: string }[] | undefined {
  if (typeof toolChoice !== 'object' || toolChoice === null) return undefined;
  if (toolChoice.type === 'function') return [{ name: toolChoice.function.name, param: 'tool_choice.function.name' }];
  return toolChoice.allowed_tools.tools.map((tool, index) => ({
    name: tool.function.name,
    param: `tool_choice.allowed_tools.tools[${index}].function.name`,
  }));
}

function toNativeTool(tool: FunctionTool): OllamaTool {
  const { name, description, parameters } = tool.function;
  return {
    type: 'function',
    function: { name, ...(description === undefined ? {} : { description }), ...(parameters === undefined ? {} : { parameters }) },
  };
}
