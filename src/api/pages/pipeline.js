'use strict';
/* The pipeline: recent runs × tasks coloured by state (like Airflow's grid view), a task's tries,
 * error and logs, and for the IT role: trigger a run, clear (re-run) a task, the BullMQ queues. */
(async () => {
  const { api, el, fmt } = Relance;
  const main = document.getElementById('main');
  const STATES = ['success', 'failed', 'upstream_failed', 'up_for_retry', 'running', 'queued', 'scheduled', 'skipped'];
  const SYMBOL = { success: '✓', failed: '✗', upstream_failed: '!', up_for_retry: '↻', running: '▶', queued: '·', scheduled: '', skipped: '–' };
  try {
    const me = await Relance.start('/pipeline');
    const isIt = me.role === 'it';
    const dags = await api('/api/dags');
    main.innerHTML = '';
    main.append(el('h1', { text: 'Pipeline' }));
    if (dags.length === 0) {
      main.append(el('p', { class: 'muted', text: 'No DAG has run yet.' }));
      return;
    }
    const params = new URLSearchParams(location.search);
    let dagId = params.get('dag') || (dags.find((d) => d.dagId === 'nightly_call_list') || dags[0]).dagId;
    const dagSelect = el('select', { id: 'dag' }, dags.map((d) => el('option', { value: d.dagId, selected: d.dagId === dagId, text: `${d.dagId}${d.paused ? ' (paused)' : ''}` })));
    const triggerButton = isIt ? el('button', { id: 'trigger', text: 'Trigger run now' }) : null;
    const message = el('p', { id: 'message', class: 'muted' });
    const gridHost = el('div', { class: 'card', id: 'grid', style: 'overflow-x:auto' });
    const detail = el('div', { class: 'card', id: 'task-detail' }, el('p', { class: 'muted', text: 'Click a cell to see the task, its error and its logs.' }));
    main.append(
      el('div', { class: 'filters' }, el('label', {}, 'DAG', dagSelect), triggerButton, isIt ? el('a', { class: 'button secondary', href: '/queues', text: 'Queues (bull-board)' }) : null),
      message,
      el('div', { class: 'legend' }, STATES.map((s) => el('span', {}, el('span', { class: `swatch s-${s}` }), s.replace(/_/g, ' ')))),
      gridHost,
      detail,
    );

    async function showTask(run, taskId) {
      detail.innerHTML = '';
      const full = await api(`/api/runs/${encodeURIComponent(run.runId)}`);
      const items = full.tasks.filter((t) => t.taskId === taskId);
      const logs = await api(`/api/runs/${encodeURIComponent(run.runId)}/tasks/${encodeURIComponent(taskId)}/logs`);
      detail.append(
        el('h2', { text: `${taskId} — ${run.runId}` }),
        el('table', {}, el('thead', {}, el('tr', {}, ['Item', 'State', 'Try', 'Started', 'Duration', 'Error'].map((h) => el('th', { text: h })))),
          el('tbody', {}, items.map((t) => el('tr', {}, el('td', { text: t.mapIndex < 0 ? '–' : String(t.mapIndex) }), el('td', {}, el('span', { class: `badge`, text: t.state })), el('td', { text: `${t.tryNumber}/${t.maxTries}` }), el('td', { text: fmt.dateTime(t.startedAt) }), el('td', { class: 'num', text: t.durationMs === null ? '–' : `${(t.durationMs / 1000).toFixed(1)} s` }), el('td', { text: t.error || '' }))))),
      );
      if (isIt) {
        const clear = el('button', { id: 'clear-task', text: `Clear ${taskId} and downstream (re-run)` });
        clear.addEventListener('click', async () => {
          clear.disabled = true;
          try {
            const r = await api(`/api/runs/${encodeURIComponent(run.runId)}/clear`, { method: 'POST', body: { taskIds: [taskId], downstream: true } });
            message.textContent = `Cleared ${r.cleared} task instance(s) of ${run.runId}; the scheduler will run them again.`;
            await loadGrid();
          } catch (error) {
            message.textContent = error.message;
          } finally {
            clear.disabled = false;
          }
        });
        detail.append(el('p', {}, clear));
      }
      detail.append(el('h2', { text: 'Logs' }), el('pre', { class: 'logs', id: 'logs', text: logs.length ? logs.map((l) => `${new Date(l.loggedAt).toISOString()} try ${l.tryNumber}${l.mapIndex >= 0 ? `[${l.mapIndex}]` : ''} ${l.level.toUpperCase()} ${l.line}`).join('\n') : '(no log lines)' }));
    }

    async function loadGrid() {
      const grid = await api(`/api/grid?dag=${encodeURIComponent(dagId)}&limit=25`);
      gridHost.innerHTML = '';
      if (grid.runs.length === 0) {
        gridHost.append(el('p', { class: 'muted', text: 'No run of this DAG yet.' }));
        return;
      }
      const cells = new Map(grid.cells.map((c) => [`${c.runId}\u0000${c.taskId}`, c]));
      const table = el('table', { class: 'state-grid' });
      table.append(el('thead', {}, el('tr', {}, el('th', { text: 'task \\ run' }), grid.runs.map((r) => el('th', { class: 'run', title: `${r.runId} (${r.state})`, text: fmt.date(r.logicalDate) })))));
      const runRow = el('tr', {}, el('th', { text: 'run' }), grid.runs.map((r) => el('td', { class: `cell s-${r.state}`, title: `${r.runId}: ${r.state}`, text: SYMBOL[r.state] || '' })));
      const body = el('tbody', {}, runRow);
      for (const taskId of grid.tasks) {
        body.append(el('tr', {}, el('th', { text: taskId }), grid.runs.map((r) => {
          const c = cells.get(`${r.runId}\u0000${taskId}`);
          const state = c ? c.state : 'none';
          const td = el('td', { class: `cell s-${state}`, title: c ? `${taskId} · ${r.runId}: ${state}${c.mapped ? ` (${c.items} items)` : ''}, try ${c.tries}` : 'not run', 'data-state': state, 'data-task': taskId, 'data-run': r.runId, text: SYMBOL[state] || '' });
          if (c) td.addEventListener('click', () => showTask(r, taskId).catch(Relance.showError));
          return td;
        })));
      }
      table.append(body);
      gridHost.append(table);
      gridHost.dataset.loaded = 'true';
    }

    dagSelect.addEventListener('change', () => {
      dagId = dagSelect.value;
      history.replaceState(null, '', `/pipeline?dag=${encodeURIComponent(dagId)}`);
      loadGrid().catch(Relance.showError);
    });
    triggerButton?.addEventListener('click', async () => {
      triggerButton.disabled = true;
      try {
        const run = await api(`/api/dags/${encodeURIComponent(dagId)}/trigger`, { method: 'POST', body: {} });
        message.textContent = `Triggered ${run.runId}.`;
        await loadGrid();
      } catch (error) {
        message.textContent = error.message;
      } finally {
        triggerButton.disabled = false;
      }
    });
    await loadGrid();
    main.dataset.ready = 'true';
  } catch (error) {
    document.getElementById('loading')?.remove();
    Relance.showError(error);
  }
})();
