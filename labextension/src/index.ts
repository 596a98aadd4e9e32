/**
 * runmagic's JupyterLab extension: wiring only. The logic lives in small modules:
 * magicLine/shellTokens/cellHighlight/completion/format (pure), editorExtensions
 * (CodeMirror), completionProvider, containersPanel, imagesPanel, imageExplorer, explorerView,
 * notebookCells, api, terminalOutput/terminalProtocol/executeMetadata (live terminals).
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';
import { EditorExtensionRegistry, IEditorExtensionRegistry } from '@jupyterlab/codemirror';
import { ICompletionProviderManager } from '@jupyterlab/completer';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { ContainerFilter } from './api';
import { CONTAINER_RANK, containerRendererFactory } from './containerOutput';
import { MagicCompletionProvider, otherProvidersStepAside } from './completionProvider';
import { ContainersPanel } from './containersPanel';
import { magicHighlighter, magicHover } from './editorExtensions';
import { notebookExplorerActions, openExplorerView } from './explorerView';
import flagTablesJSON from './generated/flag-table.json';
import { containersIcon, imagesIcon } from './icons';
import { EXPLORER_RANK, explorerRendererFactory } from './imageExplorer';
import { ImagesPanel } from './imagesPanel';
import { IFlagTablesJSON, MagicTables } from './magicTables';
import { terminalCellSource } from './format';
import { insertCellBelowOutput, insertCodeCell, insertRunCell } from './notebookCells';
import { tagNotebookKernels, terminalEngine } from './executeMetadata';
import { TERMINAL_RANK, terminalRendererFactory } from './terminalOutput';

const magics = new MagicTables(flagTablesJSON as unknown as IFlagTablesJSON);

const PANELS_PLUGIN = 'runmagic:panels';

export namespace CommandIDs {
  export const openContainers = 'runmagic:open-containers';
  export const openImages = 'runmagic:open-images';
  export const insertRunCell = 'runmagic:insert-run-cell';
}

const editorPlugin: JupyterFrontEndPlugin<void> = {
  id: 'runmagic:editor',
  description: 'Highlighting and hover help for the lines of runmagic\'s magics.',
  autoStart: true,
  requires: [IEditorExtensionRegistry],
  activate: (_app: JupyterFrontEnd, registry: IEditorExtensionRegistry) => {
    registry.addExtension({
      name: 'runmagic:docker-run-highlight',
      factory: () => EditorExtensionRegistry.createImmutableExtension(magicHighlighter(magics))
    });
    registry.addExtension({
      name: 'runmagic:docker-run-hover',
      factory: () => EditorExtensionRegistry.createImmutableExtension(magicHover(magics))
    });
  }
};

const completionPlugin: JupyterFrontEndPlugin<void> = {
  id: 'runmagic:completion',
  description: 'Completion of subcommands, flags and their values on the lines of runmagic\'s magics.',
  autoStart: true,
  requires: [ICompletionProviderManager],
  activate: (app: JupyterFrontEnd, manager: ICompletionProviderManager) => {
    manager.registerProvider(new MagicCompletionProvider(magics));
    // The kernel's and the context's providers are registered by other plugins.
    void app.restored.then(() => otherProvidersStepAside(manager, magics));
    manager.activeProvidersChanged.connect(() => otherProvidersStepAside(manager, magics));
  }
};

const outputPlugin: JupyterFrontEndPlugin<void> = {
  id: 'runmagic:container-output',
  description: 'Cell outputs of containers: the live widget, else the saved summary brought back to life.',
  autoStart: true,
  requires: [IRenderMimeRegistry, INotebookTracker],
  activate: (app: JupyterFrontEnd, rendermime: IRenderMimeRegistry, tracker: INotebookTracker) => {
    const explorer = explorerRendererFactory(notebookExplorerActions(app.shell, tracker));
    const insertCell = (node: HTMLElement, source: string) => void insertCellBelowOutput(tracker, node, source);
    rendermime.addFactory(containerRendererFactory(null, insertCell), CONTAINER_RANK);
    rendermime.addFactory(explorer, EXPLORER_RANK);
    // Each notebook's own registry holds its widget manager's renderer: ours uses it.
    tracker.widgetAdded.connect((_sender, panel) => {
      const notebookRendermime = panel.content.rendermime;
      notebookRendermime.addFactory(containerRendererFactory(notebookRendermime, insertCell), CONTAINER_RANK);
      notebookRendermime.addFactory(explorer, EXPLORER_RANK);
    });
  }
};

const terminalPlugin: JupyterFrontEndPlugin<void> = {
  id: 'runmagic:terminals',
  description: 'Live terminals for %docker_run -it, %docker_exec -it and %docker_attach.',
  autoStart: true,
  requires: [IRenderMimeRegistry, INotebookTracker],
  activate: (_app: JupyterFrontEnd, rendermime: IRenderMimeRegistry, tracker: INotebookTracker) => {
    rendermime.addFactory(terminalRendererFactory, TERMINAL_RANK);
    void terminalEngine().then(engine => {
      if (engine !== null) {
        tagNotebookKernels(tracker, engine);
      }
    });
  }
};

const panelsPlugin: JupyterFrontEndPlugin<void> = {
  id: PANELS_PLUGIN,
  description: 'The Containers side panel and the Images view.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ISettingRegistry, ILayoutRestorer, ICommandPalette, ILabShell],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    settingRegistry: ISettingRegistry | null,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null
  ) => {
    // The notebook first (activating it focuses it in command mode), then the cell in edit mode.
    const activateNotebook = () => {
      const panel = tracker.currentWidget;
      if (panel) {
        app.shell.activateById(panel.id);
      }
    };
    const openTerminal = (name: string) => {
      activateNotebook();
      if (!insertCodeCell(tracker, terminalCellSource(name), 'end')) {
        void showErrorMessage('Open terminal', 'Open a notebook first: the cell goes below its active cell.');
      }
    };
    const containers = new ContainersPanel({ filter: 'notebook', refreshInterval: 3, openTerminal });
    containers.title.icon = containersIcon;
    const insert = (image: string) => {
      activateNotebook();
      if (!insertRunCell(tracker, image)) {
        void showErrorMessage('Insert run cell', 'Open a notebook first: the cell goes below its active cell.');
      }
    };
    const explore = (id: string, ref: string) =>
      openExplorerView(app.shell, id, ref, notebookExplorerActions(app.shell, tracker));
    const images = new ImagesPanel({ insert, explore, refreshInterval: 3 });
    images.title.icon = imagesIcon;
    app.shell.add(containers, 'left', { rank: 710 });
    app.shell.add(images, 'left', { rank: 711 });
    if (restorer) {
      restorer.add(containers, containers.id);
      restorer.add(images, images.id);
    }

    app.commands.addCommand(CommandIDs.openContainers, {
      label: 'Show Docker Containers',
      execute: () => app.shell.activateById(containers.id)
    });
    app.commands.addCommand(CommandIDs.openImages, {
      label: 'Show Docker Images',
      execute: () => app.shell.activateById(images.id)
    });
    app.commands.addCommand(CommandIDs.insertRunCell, {
      label: args => `Insert %%docker_run cell${args.image ? ` for ${args.image}` : ''}`,
      execute: args => insert(String(args.image ?? 'busybox:latest'))
    });
    if (palette) {
      for (const command of [CommandIDs.openContainers, CommandIDs.openImages]) {
        palette.addItem({ command, category: 'Docker' });
      }
    }

    if (settingRegistry) {
      let lastDefault: ContainerFilter | null = null;
      const apply = (settings: ISettingRegistry.ISettings) => {
        const interval = Number(settings.get('refreshInterval').composite ?? 3);
        const filter = String(settings.get('defaultFilter').composite ?? 'notebook') as ContainerFilter;
        containers.refreshInterval = interval;
        images.refreshInterval = interval;
        if (filter !== lastDefault) {
          lastDefault = filter; // the default, not the user's current choice, is re-applied
          containers.filter = filter;
        }
      };
      settingRegistry
        .load(PANELS_PLUGIN)
        .then(settings => {
          apply(settings);
          settings.changed.connect(apply);
        })
        .catch(reason => console.error('runmagic: could not load settings', reason));
    }
  }
};

export default [editorPlugin, completionPlugin, outputPlugin, terminalPlugin, panelsPlugin];
