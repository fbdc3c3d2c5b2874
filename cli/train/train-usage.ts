/** The options of `accord train` and `accord eval`, as their `--help` lists them. */
import { defaultBigramBuckets } from '../../engine/nn/bag-trunk.ts';
import { optimizerAlgorithms } from '../../engine/optim/create-optimizer.ts';
import { defaultPatience } from '../../engine/train/task-job-spec.ts';

export const trainDetails = `One task:     --task classification --data FILE[,FILE…] --text-column NAME --label-column NAME
              --task qa|summarization --data FILE[,FILE…]
Several:      --dataset NAME=KIND:FILE[,FILE…] [--dataset …]   (KIND: classification|qa|summarization)
options:
  [--model bag|transformer]   (classification from scratch: bag, the n-gram embedding bag; otherwise transformer)
  [--bigram-buckets N]   (bag: rows of the hashed bigram table, default ${defaultBigramBuckets})
  [--map [NAME.]FIELD=COLUMN] [--weight NAME=W] [--sampling proportional|round-robin]
  [--epochs N] [--batch-size N] [--seq-len N] [--lr RATE] [--seed N] [--optimizer ${optimizerAlgorithms.join('|')}]
  [--schedule constant|linear|cosine] [--warmup-fraction F] [--weight-decay F] [--max-grad-norm F]
  [--layers N] [--d-model N] [--heads N] [--ff N] [--dropout F] [--validation-fraction F] [--stride N]
  [--patience N]   (classification: stop after N epochs without a lower held-out loss and keep the best epoch;
      default ${defaultPatience}, 0 trains every epoch and keeps the last)
  [--beam-size N] [--length-penalty F] [--max-new-tokens N] [--max-answer-tokens N] [--min-token-count N]
  [--lora-rank N --lora-alpha F --lora-targets P[,P…]]
  [--init CHECKPOINT.safetensors|MODEL_DIR [--init-heads N]]   (one \`accord train\` wrote, to resume; GPT-2/BERT
      weights; or a Hugging Face model folder: gpt2, bert, distilbert, roberta, llama, qwen2 — its tokenizer.json
      is the default --tokenizer)
  [--tokenizer PATH] [--out FILE] [--save-optimizer-state] [--report PREFIX]
Progress on stderr; one JSON line of results on stdout; --report PREFIX writes PREFIX.json and PREFIX.md.`;

export const evalDetails = `options:
  [--map [NAME.]FIELD=COLUMN] [--batch-size N] [--stride N] [--beam-size N] [--length-penalty F]
  [--max-new-tokens N] [--max-answer-tokens N] [--tokenizer PATH] [--report PREFIX]
The dataset names are those of the checkpoint's task heads; --report PREFIX writes PREFIX.json and PREFIX.md.`;
