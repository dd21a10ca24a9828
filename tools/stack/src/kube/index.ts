// The Kubernetes profile, as the control-plane test and the autoscaling demo use it.
export { kubeApi, runKubeTool, type KubeApi } from './api';
export { kubePaths, kubeTools } from './setup';
