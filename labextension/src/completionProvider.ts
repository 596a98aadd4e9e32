/**
 * The completion provider for docker_run magic lines (registered with
 * ICompletionProviderManager): flag names and closed-set values from the flag table.
 */
import {
  CompletionHandler,
  ICompletionContext,
  ICompletionProvider
} from '@jupyterlab/completer';

import { completionsAt } from './completion';
import { FlagTable } from './flagTable';

export class DockerRunCompletionProvider implements ICompletionProvider {
  readonly identifier = 'runmagic:docker-run-flags';
  /** Above the kernel (550) and context (500) providers: our items come first. */
  readonly rank = 1000;
  readonly renderer = null;

  constructor(private readonly _table: FlagTable) {}

  async isApplicable(context: ICompletionContext): Promise<boolean> {
    return !!context.editor;
  }

  async fetch(
    request: CompletionHandler.IRequest,
    _context: ICompletionContext
  ): Promise<CompletionHandler.ICompletionItemsReply> {
    const result = completionsAt(request.text, request.offset, this._table);
    if (!result) {
      return { start: request.offset, end: request.offset, items: [] };
    }
    return {
      start: result.start,
      end: result.end,
      items: result.items.map(item => ({
        label: item.label,
        insertText: item.label,
        type: item.type === 'flag' ? 'docker-run flag' : 'docker-run value',
        documentation: item.documentation
      }))
    };
  }
}
