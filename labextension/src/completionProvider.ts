/**
 * The completion provider for runmagic's magic lines (registered with
 * ICompletionProviderManager): subcommands, flag names and closed-set values from each
 * magic's flag table, with a one-word type tag. On a magic line, past the magic word, the
 * other providers (the kernel's, the document's words) step aside: their suggestions are
 * Python names and words of the notebook, never docker's flags.
 */
import {
  CompletionHandler,
  ICompletionContext,
  ICompletionProvider,
  ICompletionProviderManager
} from '@jupyterlab/completer';

import { completionsAt } from './completion';
import { pastMagicWord } from './magicLine';
import { MagicTables } from './magicTables';

export const PROVIDER_ID = 'runmagic:docker-run-flags';

export class MagicCompletionProvider implements ICompletionProvider {
  readonly identifier = PROVIDER_ID;
  /** Above the kernel (550) and context (500) providers: our items come first. */
  readonly rank = 1000;
  readonly renderer = null;

  constructor(private readonly _magics: MagicTables) {}

  async isApplicable(context: ICompletionContext): Promise<boolean> {
    return !!context.editor;
  }

  async fetch(
    request: CompletionHandler.IRequest,
    _context: ICompletionContext
  ): Promise<CompletionHandler.ICompletionItemsReply> {
    const result = completionsAt(request.text, request.offset, this._magics);
    if (!result) {
      return { start: request.offset, end: request.offset, items: [] };
    }
    return {
      start: result.start,
      end: result.end,
      items: result.items.map(item => ({
        label: item.label,
        insertText: item.label,
        type: item.type,
        documentation: item.documentation
      }))
    };
  }
}

/** Whether the cursor of the context's editor is on a magic's line, past the magic word. */
export function onMagicLine(context: ICompletionContext, magics: MagicTables): boolean {
  const editor = context.editor;
  if (!editor) {
    return false;
  }
  const offset = editor.getOffsetAt(editor.getCursorPosition());
  return pastMagicWord(editor.model.sharedModel.getSource(), offset, magics);
}

const stepsAside = new WeakSet<ICompletionProvider>();

/**
 * Make every provider but ours not applicable on a magic line. The manager offers no
 * per-request veto, so each provider's `isApplicable` is wrapped (once); call again when
 * providers may have been added.
 */
export function otherProvidersStepAside(manager: ICompletionProviderManager, magics: MagicTables): void {
  // The token's interface lacks getProviders; JupyterLab's manager has it.
  const providers = (manager as { getProviders?: () => Map<string, ICompletionProvider> }).getProviders?.();
  for (const [id, provider] of providers ?? []) {
    if (id === PROVIDER_ID || stepsAside.has(provider)) {
      continue;
    }
    stepsAside.add(provider);
    const applicable = provider.isApplicable.bind(provider);
    provider.isApplicable = async (context: ICompletionContext) =>
      !onMagicLine(context, magics) && (await applicable(context));
  }
}
