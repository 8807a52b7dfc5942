import { onBeforeUnmount, ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement | HTMLCanvasElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorClass = new (options: { formats: string[] }) => BarcodeDetectorLike;

/**
 * Reads QR codes from the camera: the browser's BarcodeDetector when it has one, else frames drawn on
 * a canvas and decoded by jsQR (loaded only when the camera is started without a detector).
 */
export async function startQrScanner(video: HTMLVideoElement, onCode: (text: string) => void): Promise<() => void> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  video.srcObject = stream;
  await video.play();
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  const detector = Detector ? new Detector({ formats: ['qr_code'] }) : null;
  const decode = detector ? null : (await import('jsqr')).default;
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let stopped = false;
  let last = '';

  async function tick(): Promise<void> {
    if (stopped) return;
    let text: string | null = null;
    if (video.readyState >= 2) {
      if (detector) {
        const codes = await detector.detect(video).catch(() => []);
        text = codes[0]?.rawValue ?? null;
      } else if (decode && context) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0);
        const image = context.getImageData(0, 0, canvas.width, canvas.height);
        text = decode(image.data, image.width, image.height)?.data ?? null;
      }
    }
    if (text && text !== last) {
      last = text;
      onCode(text);
    }
    setTimeout(() => void tick(), 250);
  }
  void tick();

  return () => {
    stopped = true;
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
}

/**
 * The camera half of a gate (`components/console/CodeScanner.vue`, used by 入场核验 and 校园入场核验): start and stop scanning into `video`, hand each code read to
 * `onCode` (scanning stops first), and say in words why the camera could not start. The camera is
 * released when the page goes away.
 */
export function useCameraScanner(video: Ref<HTMLVideoElement | null>, onCode: (text: string) => void) {
  const { t } = useI18n();
  const scanning = ref(false);
  const cameraProblem = ref('');
  let stop: (() => void) | null = null;

  function stopCamera(): void {
    stop?.();
    stop = null;
    scanning.value = false;
  }

  async function startCamera(): Promise<void> {
    cameraProblem.value = '';
    scanning.value = true;
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error('getUserMedia');
      // The <video> is shown by `scanning`; let it render before the stream is attached.
      await new Promise((resolve) => requestAnimationFrame(resolve));
      stop = await startQrScanner(video.value!, (text) => {
        stopCamera();
        onCode(text);
      });
    } catch (err) {
      scanning.value = false;
      cameraProblem.value = t('console.checkIn.cameraUnavailable', { reason: err instanceof Error ? err.message : String(err) });
    }
  }

  onBeforeUnmount(stopCamera);
  return { scanning, cameraProblem, startCamera, stopCamera };
}
