import { describe, expect, it } from 'vitest';
import { TrainingProgressEvent } from '../../../../preload/participant-schemas.ts';
import { trainingProgressEvent } from '../../../../main/participant/rounds/training-progress-event.ts';
import { progressAt } from '../../../support/fake-trainer.ts';

describe('the training.progress event made from the engine progress', () => {
  it('leaves the loss out until a step has measured one, and passes the schema', () => {
    const event = trainingProgressEvent('fed/r1', progressAt(0, 4, Number.NaN));
    expect(event).not.toHaveProperty('loss');
    expect(TrainingProgressEvent.strict().parse(event)).toEqual(event);
  });

  it('carries the step, loss, timing and the metrics measured along the way', () => {
    const progress = { ...progressAt(3, 4, 0.25), metrics: { accuracy: 0.75 } };
    const event = trainingProgressEvent('fed/r1', progress);
    expect(event).toEqual({
      roundKey: 'fed/r1',
      step: progress.step,
      totalSteps: progress.totalSteps,
      loss: progress.loss,
      metrics: progress.metrics,
      elapsedSeconds: progress.elapsedSeconds,
      etaSeconds: progress.etaSeconds,
    });
    expect(TrainingProgressEvent.strict().parse(event)).toEqual(event);
  });
});
