// The Kubernetes profile, as the control-plane test and the autoscaling demo use it.
export { kubeApi, runKubeTool, type KubeApi } from './api';
export { kubePaths, kubeTools } from './setup';
export { ADAPTER_SERVICE, type Pki } from './pki';
export { KUBE_VERSIONS, type KubeTools } from './tools';
