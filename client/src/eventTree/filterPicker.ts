import * as vscode from 'vscode';
import { EventTreeModel, formatCount } from './eventTreeModel';
import { EVENT_ACCESS_LEVELS } from '../../../server/src/protocol';
import { accessLevelIcon, escapeIcons } from './treeItems';

interface FilterChoice extends vscode.QuickPickItem {
  /** Applies the choice; true when the picker should show again (a switch was flipped). */
  apply(): Promise<boolean> | boolean;
}

const onOff = (on: boolean | undefined): string => (on ? 'on' : 'off');

/**
 * The Filter Events command: a list of the filter's parts, each showing its current value. Flipping
 * a switch shows the list again; text and service ask for a value.
 */
export async function pickFilter(model: EventTreeModel): Promise<void> {
  for (;;) {
    const filter = model.filter;
    const choices: FilterChoice[] = [
      {
        label: '$(search) Text…',
        description: filter.text ? `"${escapeIcons(filter.text)}"` : 'any',
        detail: 'Events with this text in a value of any field, in any case',
        apply: async () => {
          const text = await vscode.window.showInputBox({
            title: 'Filter Events by Text',
            prompt: 'Show the events with this text in a value of any field, in any case; in quotes it must be the whole value. Leave empty for any text.',
            placeHolder: 'AccessDenied, alice, 203.0.113.7, a certificate ARN…',
            value: filter.text ?? '',
          });
          if (text !== undefined) model.setFilter({ ...model.filter, text });
          return false;
        },
      },
      {
        label: '$(server) Service…',
        description: filter.service ? escapeIcons(filter.service) : 'any',
        detail: 'Events of one AWS service',
        apply: async () => {
          const services = await model.listServices();
          const picked = await vscode.window.showQuickPick(
            [
              { label: 'Any service', service: '' },
              ...services.map(({ service, count }) => ({
                label: escapeIcons(service),
                description: `${formatCount(count)} ${count === 1 ? 'event' : 'events'}`,
                service,
              })),
            ],
            { title: 'Filter Events by Service', placeHolder: 'Show the events of this service' },
          );
          if (picked) model.setFilter({ ...model.filter, service: picked.service });
          return false;
        },
      },
      {
        label: '$(key) IAM access level…',
        description: filter.accessLevel ? escapeIcons(filter.accessLevel) : 'any',
        detail: 'Events whose call needed this IAM access level, such as Permissions management',
        apply: async () => {
          const picked = await vscode.window.showQuickPick(
            [
              { label: 'Any access level', accessLevel: '' },
              ...EVENT_ACCESS_LEVELS.map((accessLevel) => ({ label: `$(${accessLevelIcon(accessLevel)}) ${accessLevel}`, accessLevel })),
            ],
            { title: 'Filter Events by IAM Access Level', placeHolder: 'Show the events whose call needed this access level' },
          );
          if (picked) model.setFilter({ ...model.filter, accessLevel: picked.accessLevel });
          return false;
        },
      },
      {
        label: '$(error) Failed events only',
        description: onOff(filter.errorsOnly),
        detail: 'Events that carry an errorCode',
        apply: () => {
          model.setFilter({ ...model.filter, errorsOnly: !model.filter.errorsOnly });
          return true;
        },
      },
      {
        label: '$(edit) Write events only',
        description: onOff(filter.writesOnly),
        detail: 'Events that are not marked readOnly',
        apply: () => {
          model.setFilter({ ...model.filter, writesOnly: !model.filter.writesOnly });
          return true;
        },
      },
    ];
    if (model.isFiltered) {
      choices.push({
        label: '$(clear-all) Clear the filter',
        apply: () => {
          model.clearFilter();
          return false;
        },
      });
    }
    const choice = await vscode.window.showQuickPick(choices, { title: 'Filter Events', placeHolder: 'Choose what to filter by' });
    if (!choice || !(await choice.apply())) {
      return;
    }
  }
}
