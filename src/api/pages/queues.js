'use strict';
/* /queues in embedded mode: no Redis, so no BullMQ queue to show; the page says so in words. */
(async () => {
  try {
    await Relance.start('/queues');
    document.getElementById('main').dataset.ready = 'true';
  } catch (error) {
    Relance.showError(error);
  }
})();
