/** What the source and the target of a move hold (status.space), at one or more moments: now, before, after. */
import { useId } from 'react';
import type { SpaceFigures } from '../../../../shared/ledger';
import { useAppData } from '../../lib/app-data';
import { heldBy, heldText, storageName } from './move-text';

interface Props {
  from: string;
  to: string;
  /** One column per moment; a moment not known yet shows "…". */
  columns: { title: string; space: SpaceFigures | null }[];
}

export function SpaceTable({ from, to, columns }: Props): React.JSX.Element {
  const { providers } = useAppData();
  const titleId = useId();
  return (
    <>
      <h3 id={titleId}>Space</h3>
      <table className="table move-space" aria-labelledby={titleId} data-testid="move-space">
        <thead>
          <tr>
            <th scope="col">Storage</th>
            {columns.map((c) => (
              <th key={c.title} scope="col">
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[from, to].map((id, i) => (
            <tr key={id}>
              <th scope="row">
                {storageName(id, providers)} <span className="muted">({i === 0 ? 'from' : 'to'})</span>
              </th>
              {columns.map((c) => (
                <td key={c.title}>{c.space ? heldText(heldBy(c.space, id)) : '…'}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
