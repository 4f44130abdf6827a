'use strict';
/* The pipeline: schedule, next run and pause state of each DAG; recent runs × tasks coloured by
 * state (like Airflow's grid view), labelled by the list date each run produces; a Gantt of the
 * last run's task durations; a task's tries, error and logs. For the IT role: run now, pause or
 * unpause, clear (re-run) a task, each after a confirmation, and the BullMQ queues. The page
 * refreshes itself. */
(async () => {
  const { api, el, chart } = Relance;
  const main = document.getElementById('main');
  const REFRESH_SECONDS = 30;
  const STATES = ['success', 'failed', 'upstream_failed', 'up_for_retry', 'running', 'queued', 'scheduled', 'skipped'];
  const STATE_COLOURS = { success: '#009E73', failed: '#D55E00', upstream_failed: '#E69F00', up_for_retry: '#F0E442', running: '#56B4E9', queued: '#8e99a8', scheduled: '#c9d1dc', skipped: '#CC79A7' };
  const SYMBOL = { success: '✓', failed: '✗', upstream_failed: '!', up_for_retry: '↻', running: '▶', queued: '·', scheduled: '', skipped: '–' };
  const stateName = (s) => (i18n.exists(`pipeline:states.${s}`) ? t(`pipeline:states.${s}`) : s);
  try {
    const me = await Relance.start('/pipeline');
    const isIt = me.role === 'it';
    let dags = await api('/api/dags');
    main.innerHTML = '';
    main.append(el('h1', { text: t('pipeline:heading') }));
    if (dags.length === 0) {
      main.append(el('p', { class: 'muted', text: t('pipeline:none') }));
      return;
    }
    const dagName = (id) => (i18n.exists(`pipeline:dags.${id}`) ? t(`pipeline:dags.${id}`) : id);
    const params = new URLSearchParams(location.search);
    let dagId = params.get('dag') || (dags.find((d) => d.dagId === 'nightly_call_list') || dags[0]).dagId;
    const dag = () => dags.find((d) => d.dagId === dagId);
    /** A run's label: the list date it produces for the nightly list, else its logical date. */
    const runLabel = (r) => (r.dagId === 'nightly_call_list' && r.listDate ? t('pipeline:grid.list_of', { date: fmt.date(r.listDate) }) : fmt.date(r.logicalDate));

    const dagSelect = el('select', { id: 'dag' }, dags.map((d) => el('option', { value: d.dagId, selected: d.dagId === dagId, text: dagName(d.dagId) })));
    const triggerButton = isIt ? el('button', { id: 'trigger', text: t('pipeline:actions.trigger') }) : null;
    const pauseButton = isIt ? el('button', { id: 'pause', class: 'secondary' }) : null;
    const message = el('p', { id: 'message', class: 'muted', role: 'status' });
    const info = el('div', { class: 'card', id: 'dag-info' });
    const gantt = el('div', { class: 'card', id: 'gantt' });
    const gridHost = el('div', { class: 'card', id: 'grid', style: 'overflow-x:auto' });
    const detail = el('div', { class: 'card', id: 'task-detail' }, el('p', { class: 'muted', text: t('pipeline:grid.hint') }));
    const refreshed = el('p', { class: 'muted', id: 'refreshed' });
    main.append(
      el('div', { class: 'filters' }, el('label', {}, t('pipeline:dag'), dagSelect), triggerButton, pauseButton, isIt ? el('a', { class: 'button secondary', id: 'queues-link', href: '/queues', text: t('pipeline:actions.queues') }) : null),
      message,
      info,
      el('div', { class: 'legend' }, STATES.map((s) => el('span', {}, el('span', { class: `swatch s-${s}` }), stateName(s)))),
      gridHost,
      gantt,
      detail,
      refreshed,
    );

    /** The schedule in words for the usual shapes (daily, weekdays, weekly), else the cron expression. */
    function scheduleText(d) {
      if (!d.schedule) return t('pipeline:info.no_schedule');
      const m = /^(\d{1,2}) (\d{1,2}) \* \* (\*|1-5|[0-6])$/.exec(d.schedule.trim());
      const zone = t('pipeline:info.zone', { zone: d.timezone });
      if (!m) return `${t('pipeline:info.cron', { cron: d.schedule })} ${zone}`;
      const time = `${m[2].padStart(2, '0')}:${m[1].padStart(2, '0')}`;
      const text = m[3] === '*' ? t('pipeline:info.daily', { time }) : m[3] === '1-5' ? t('pipeline:info.weekdays', { time }) : t('pipeline:info.weekly', { time, day: t(`pipeline:weekdays.${m[3]}`) });
      return `${text} ${zone}`;
    }

    function drawInfo() {
      const d = dag();
      info.innerHTML = '';
      const row = (k, v, id) => [el('dt', { text: t(`pipeline:info.${k}`) }), el('dd', { id, text: v })];
      const last = d.latestRun;
      info.append(el('dl', { class: 'profile' },
        row('schedule', scheduleText(d), 'schedule'),
        row('next_run', d.paused ? t('pipeline:info.paused') : fmt.dateTime(d.nextRunAt, d.timezone), 'next-run'),
        row('state', d.paused ? t('pipeline:info.paused') : t('pipeline:info.active'), 'dag-state'),
        last ? row('last_run', `${runLabel(last)} · ${stateName(last.state)}`, 'last-run') : [],
      ));
      if (pauseButton) pauseButton.textContent = d.paused ? t('pipeline:actions.unpause') : t('pipeline:actions.pause');
    }

    async function drawGantt(run) {
      gantt.innerHTML = '';
      const full = await api(`/api/runs/${encodeURIComponent(run.runId)}`);
      const rows = full.tasks.filter((x) => x.startedAt).map((x) => ({
        task: x.mapIndex >= 0 ? `${x.taskId}[${x.mapIndex}]` : x.taskId,
        start: x.startedAt,
        end: x.endedAt || new Date().toISOString(),
        state: stateName(x.state),
        stateKey: x.state,
        duration: fmt.duration(x.durationMs ?? (Date.parse(x.endedAt || new Date().toISOString()) - Date.parse(x.startedAt))),
      }));
      if (rows.length === 0) {
        gantt.append(el('p', { class: 'muted', text: t('pipeline:gantt.empty') }));
        return;
      }
      const first = Math.min(...rows.map((r) => Date.parse(r.start)));
      const lastEnd = Math.max(...rows.map((r) => Date.parse(r.end)));
      const host = el('div', { id: 'chart-gantt' });
      gantt.append(el('h2', { text: t('pipeline:gantt.title', { label: runLabel(run), total: fmt.duration(lastEnd - first) }) }), host);
      const used = [...new Set(rows.map((r) => r.stateKey))];
      await chart(host, {
        height: Math.max(80, rows.length * 22),
        data: { values: rows },
        mark: { type: 'bar', cornerRadius: 2 },
        encoding: {
          y: { field: 'task', type: 'nominal', sort: { field: 'start' }, title: null },
          x: { field: 'start', type: 'temporal', title: null, axis: { format: '%H:%M:%S', labelOverlap: true } },
          x2: { field: 'end' },
          color: { field: 'state', type: 'nominal', title: null, scale: { domain: used.map(stateName), range: used.map((s) => STATE_COLOURS[s] || '#999') }, legend: { orient: 'bottom' } },
          tooltip: [{ field: 'task', title: t('pipeline:gantt.task') }, { field: 'start', type: 'temporal', format: '%H:%M:%S', title: t('pipeline:gantt.start') }, { field: 'end', type: 'temporal', format: '%H:%M:%S', title: t('pipeline:gantt.end') }, { field: 'duration', title: t('pipeline:gantt.duration') }, { field: 'state', title: t('pipeline:gantt.state') }],
        },
      }, 'gantt');
    }

    async function showTask(run, taskId) {
      detail.innerHTML = '';
      const full = await api(`/api/runs/${encodeURIComponent(run.runId)}`);
      const items = full.tasks.filter((x) => x.taskId === taskId);
      const logs = await api(`/api/runs/${encodeURIComponent(run.runId)}/tasks/${encodeURIComponent(taskId)}/logs`);
      detail.dataset.run = run.runId;
      detail.dataset.task = taskId;
      detail.append(
        el('h2', { text: t('pipeline:task.heading', { task: taskId, date: run.listDate ? fmt.date(run.listDate) : fmt.date(run.logicalDate), run: run.runId }) }),
        el('table', {}, el('thead', {}, el('tr', {}, ['item', 'state', 'try', 'started', 'duration', 'error'].map((h) => el('th', { text: t(`pipeline:task.${h}`) })))),
          el('tbody', {}, items.map((x) => el('tr', {}, el('td', { text: x.mapIndex < 0 ? '–' : String(x.mapIndex) }), el('td', {}, el('span', { class: 'badge', text: stateName(x.state) })), el('td', { text: `${x.tryNumber}/${x.maxTries}` }), el('td', { text: fmt.dateTime(x.startedAt) }), el('td', { class: 'num', text: fmt.duration(x.durationMs) }), el('td', { text: x.error || '' }))))),
      );
      if (isIt) {
        const clear = el('button', { id: 'clear-task', text: t('pipeline:actions.clear', { task: taskId }) });
        clear.addEventListener('click', async () => {
          if (!(await Relance.confirmAction(t('pipeline:confirm.clear', { task: taskId, date: run.listDate ? fmt.date(run.listDate) : fmt.date(run.logicalDate) })))) return;
          clear.disabled = true;
          try {
            const r = await api(`/api/runs/${encodeURIComponent(run.runId)}/clear`, { method: 'POST', body: { taskIds: [taskId], downstream: true } });
            message.textContent = t('pipeline:messages.cleared', { count: r.cleared, run: run.runId });
            await refresh();
          } catch (error) {
            message.textContent = error.message;
          } finally {
            clear.disabled = false;
          }
        });
        detail.append(el('p', {}, clear));
      }
      detail.append(el('h2', { text: t('pipeline:task.logs') }), el('pre', { class: 'logs', id: 'logs', text: logs.length ? logs.map((l) => `${fmt.dateTime(l.loggedAt)} #${l.tryNumber}${l.mapIndex >= 0 ? `[${l.mapIndex}]` : ''} ${l.level.toUpperCase()} ${l.line}`).join('\n') : t('pipeline:task.no_logs') }));
    }

    async function loadGrid() {
      const grid = await api(`/api/grid?dag=${encodeURIComponent(dagId)}&limit=25`);
      gridHost.innerHTML = '';
      gridHost.dataset.loaded = 'false';
      if (grid.runs.length === 0) {
        gridHost.append(el('p', { class: 'muted', text: t('pipeline:grid.no_runs') }));
        gantt.innerHTML = '';
        gridHost.dataset.loaded = 'true';
        return;
      }
      const cells = new Map(grid.cells.map((c) => [`${c.runId}\u0000${c.taskId}`, c]));
      const table = el('table', { class: 'state-grid' });
      table.append(el('thead', {}, el('tr', {}, el('th', { text: t('pipeline:grid.corner') }), grid.runs.map((r) => el('th', { class: 'run', title: t('pipeline:grid.run_title', { run: r.runId, state: stateName(r.state) }), 'data-list-date': r.listDate || '', text: runLabel(r) })))));
      const runRow = el('tr', {}, el('th', { text: t('pipeline:grid.run') }), grid.runs.map((r) => el('td', { class: `cell s-${r.state}`, title: t('pipeline:grid.run_title', { run: r.runId, state: stateName(r.state) }), text: SYMBOL[r.state] || '' })));
      const body = el('tbody', {}, runRow);
      for (const taskId of grid.tasks) {
        body.append(el('tr', {}, el('th', { text: taskId }), grid.runs.map((r) => {
          const c = cells.get(`${r.runId}\u0000${taskId}`);
          const state = c ? c.state : 'none';
          const title = c ? t(c.mapped ? 'pipeline:grid.cell_title_mapped' : 'pipeline:grid.cell_title', { task: taskId, run: runLabel(r), state: stateName(state), items: c.items, tries: c.tries }) : t('pipeline:grid.not_run');
          const td = el('td', { class: `cell s-${state}`, title, 'data-state': state, 'data-task': taskId, 'data-run': r.runId, text: SYMBOL[state] || '' });
          if (c) td.addEventListener('click', () => showTask(r, taskId).catch(Relance.showError));
          return td;
        })));
      }
      table.append(body);
      gridHost.append(table);
      await drawGantt(grid.runs[grid.runs.length - 1]);
      gridHost.dataset.loaded = 'true';
    }

    async function refresh() {
      dags = await api('/api/dags');
      drawInfo();
      await loadGrid();
      // The open task stays open, with its new state.
      if (detail.dataset.run) {
        const run = (await api(`/api/runs/${encodeURIComponent(detail.dataset.run)}`));
        await showTask(run, detail.dataset.task);
      }
      refreshed.textContent = t('pipeline:info.refreshed', { time: fmt.time(new Date().toISOString()), seconds: REFRESH_SECONDS });
      main.dataset.refreshes = String(Number(main.dataset.refreshes || 0) + 1);
    }

    dagSelect.addEventListener('change', () => {
      dagId = dagSelect.value;
      history.pushState(null, '', `/pipeline?dag=${encodeURIComponent(dagId)}`);
      delete detail.dataset.run;
      refresh().catch(Relance.showError);
    });
    window.addEventListener('popstate', () => {
      dagId = new URLSearchParams(location.search).get('dag') || dagId;
      dagSelect.value = dagId;
      refresh().catch(Relance.showError);
    });
    triggerButton?.addEventListener('click', async () => {
      if (!(await Relance.confirmAction(t('pipeline:confirm.trigger', { dag: dagName(dagId) })))) return;
      triggerButton.disabled = true;
      try {
        const run = await api(`/api/dags/${encodeURIComponent(dagId)}/trigger`, { method: 'POST', body: {} });
        message.textContent = t('pipeline:messages.triggered', { run: run.runId });
        await refresh();
      } catch (error) {
        message.textContent = error.message;
      } finally {
        triggerButton.disabled = false;
      }
    });
    pauseButton?.addEventListener('click', async () => {
      const pausing = !dag().paused;
      if (!(await Relance.confirmAction(t(pausing ? 'pipeline:confirm.pause' : 'pipeline:confirm.unpause', { dag: dagName(dagId) })))) return;
      pauseButton.disabled = true;
      try {
        await api(`/api/dags/${encodeURIComponent(dagId)}/paused`, { method: 'PUT', body: { paused: pausing } });
        message.textContent = t(pausing ? 'pipeline:messages.paused' : 'pipeline:messages.unpaused', { dag: dagName(dagId) });
        await refresh();
      } catch (error) {
        message.textContent = error.message;
      } finally {
        pauseButton.disabled = false;
      }
    });
    await refresh();
    main.dataset.ready = 'true';
    // Self-refresh while the page is visible; a hidden tab does not poll.
    const interval = Number(new URLSearchParams(location.search).get('refresh')) || REFRESH_SECONDS;
    setInterval(() => {
      if (document.visibilityState === 'visible') refresh().catch(Relance.showError);
    }, interval * 1000);
  } catch (error) {
    document.getElementById('loading')?.remove();
    Relance.showError(error);
  }
})();
